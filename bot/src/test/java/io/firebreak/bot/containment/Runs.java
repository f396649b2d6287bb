package io.firebreak.bot.containment;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reading containment state of a test bot's database, and waiting for it to change. */
final class Runs {
    private Runs() {}

    /** Opens an incident with {@code severity} and waits for its card, so notices go in the card's thread. */
    static String open(TestBot bot, String severity, String title) {
        String text = bot.text(bot.command("open " + severity + " " + title));
        assertThat(text).contains("Opened");
        long id = bot.count("select max(id) from incident");
        await(
                () -> bot.count("select count(*) from incident where id = ? and card_ts is not null", id) == 1,
                "the card of INC-" + id);
        return "INC-" + id;
    }

    /** Slack's documented answers to the calls containment makes besides posting and updating messages. */
    static void stubSlack(TestBot bot) {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/views.open")
                        .willReturn(okJson("{\"ok\": true, \"view\": {\"id\": \"VMHU10V25\"}}")));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postEphemeral")
                        .willReturn(okJson("{\"ok\": true, \"message_ts\": \"1502210682.580145\"}")));
    }

    static String latestRunId(TestBot bot) {
        return bot.string("select id from containment_run order by requested_at desc, id desc limit 1");
    }

    static String state(TestBot bot, String runId) {
        return bot.string("select state from containment_run where id = ?", runId);
    }

    static void awaitState(TestBot bot, String runId, String state) {
        await(() -> state.equals(state(bot, runId)), "run " + runId + " to be " + state);
    }

    /** The timeline of an incident, oldest first: kind and details text. */
    static List<Map<String, Object>> timeline(TestBot bot, String key) {
        long id = Long.parseLong(key.substring(4));
        return bot.db()
                .withHandle(h -> h.select(
                                "select actor, kind, details::text as details from timeline_event where incident_id = ? order by seq",
                                id)
                        .mapToMap()
                        .list());
    }

    static List<String> kinds(TestBot bot, String key) {
        return timeline(bot, key).stream().map(e -> (String) e.get("kind")).toList();
    }

    static void await(java.util.function.BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            SlackApiStub.sleep(25);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
