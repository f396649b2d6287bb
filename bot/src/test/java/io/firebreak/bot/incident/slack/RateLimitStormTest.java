package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Under a 429 storm the card waits as one publication with the latest state, and no thread notice is lost. */
class RateLimitStormTest {
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    @Test
    void tenChangesDuringA429StormMakeOneCardUpdateWithTheLastStateAndEveryNotice() {
        bot.command("open high Refund agent sent wrong refunds");
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
        int postsBefore = bot.slack().calls("chat.postMessage").size();
        bot.slack().wiremock().stubFor(post("/api/chat.update").willReturn(rateLimited()));
        bot.slack().wiremock().stubFor(post("/api/chat.postMessage").willReturn(rateLimited()));

        for (int change = 1; change <= 10; change++) {
            String severity = change % 2 == 1 ? "critical" : "high";
            assertThat(bot.text(bot.command("sev INC-1 " + severity + " storm change " + change)))
                    .contains("INC-1");
            long waiting =
                    bot.count("select count(*) from scheduled_tasks where task_name = 'incident-card' and not picked");
            assertThat(waiting)
                    .as("card publications waiting after change " + change)
                    .isLessThanOrEqualTo(1);
        }
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("HIGH");

        SlackApiStub.sleep(1500);
        int updatesInStorm = bot.slack().calls("chat.update").size();
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.update").willReturn(okJson(SlackApiStub.ANSWERS.get("chat.update"))));
        bot.slack().wiremock().stubFor(post("/api/chat.postMessage").willReturn(okJson(SlackApiStub.POST_MESSAGE_OK)));

        bot.awaitCount(10, "select count(*) from thread_notice where posted_at is not null");
        bot.awaitCount(0, "select count(*) from scheduled_tasks where task_name = 'incident-card'");
        List<Map<String, String>> updates = bot.slack().calls("chat.update");
        // The one waiting publication may have gone through just as Slack recovered; never one per change.
        assertThat(updates.size() - updatesInStorm)
                .as("card updates once Slack answers again")
                .isBetween(0, 2);
        assertThat(updates.get(updates.size() - 1).get("blocks"))
                .as("the card Slack last received shows the last change")
                .contains("storm change 10");
        List<String> delivered = answeredOk("/api/chat.postMessage").stream()
                .filter(body -> body.contains("thread_ts=") && body.contains("Severity of INC-1 changed"))
                .toList();
        assertThat(delivered).as("every notice in the card thread, once each").hasSize(10);
        assertThat(delivered)
                .filteredOn(body -> body.contains("from critical to *high*"))
                .hasSize(5);
        assertThat(delivered)
                .filteredOn(body -> body.contains("from high to *critical*"))
                .hasSize(5);
    }

    /** The decoded bodies of the calls to {@code path} that Slack answered 200. */
    private List<String> answeredOk(String path) {
        return bot.slack().wiremock().getAllServeEvents().stream()
                .filter(e ->
                        e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == 200)
                .sorted(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(e -> java.net.URLDecoder.decode(
                        e.getRequest().getBodyAsString(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder rateLimited() {
        return aResponse()
                .withStatus(429)
                .withHeader("Retry-After", "1")
                .withBody("{\"ok\": false, \"error\": \"ratelimited\"}");
    }
}
