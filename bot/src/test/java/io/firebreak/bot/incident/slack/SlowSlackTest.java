package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands on an incident whose card job is stuck in a slow Slack call still answer well inside Slack's 3 s. */
class SlowSlackTest {
    /** Slack gives up on an ack after 3 s; a command must leave room for the network. */
    static final Duration WELL_INSIDE = Duration.ofMillis(2000);

    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(Map.of("FIREBREAK_INCIDENT_CHANNELS", "true"));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    @Test
    void aNoteAcksWhileTheInviteHangsForEightSeconds() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.invite")
                        .willReturn(okJson("{\"ok\": true, \"channel\": {\"id\": \"C0EAQDV4Z\"}}")
                                .withFixedDelay(8000)));
        bot.command("open high Refund agent sent wrong refunds");
        bot.slack().awaitCalls("conversations.create", 1);
        SlackApiStub.sleep(500);

        long started = System.nanoTime();
        HttpResponse<String> note = bot.command("note INC-1 paused the refund workflow");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(bot.text(note)).contains("Note added to INC-1");
        assertThat(took)
                .as("the ack of a note while the card job waits for Slack")
                .isLessThan(WELL_INSIDE);
        // The card still arrives, in the incident's channel, once Slack answers.
        bot.awaitCount(1, "select count(*) from incident where channel_id is not null and card_ts is not null");
    }

    @Test
    void aNoteAcksWhileACardUpdateHangs() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.update")
                        .willReturn(okJson("{\"ok\": true}").withFixedDelay(8000)));
        bot.command("open high Refund agent sent wrong refunds");
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
        bot.command("note INC-1 first note: the card update for it hangs");
        SlackApiStub.sleep(500);

        long started = System.nanoTime();
        HttpResponse<String> status = bot.command("status INC-1 contained");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(bot.text(status)).contains("INC-1 moved from detected to *contained*");
        assertThat(took).as("the ack of a phase change while chat.update hangs").isLessThan(WELL_INSIDE);
    }
}
