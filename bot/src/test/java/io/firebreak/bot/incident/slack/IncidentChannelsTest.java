package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.TestBot;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each incident in its own channel, and what happens when Slack will not make one. */
class IncidentChannelsTest {
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
    void theIncidentGetsItsOwnChannelWithTheCardAndALinkFromWhereItWasOpened() {
        bot.command("open high Refund agent sent wrong refunds (€ twice!)");

        Map<String, String> create =
                bot.slack().awaitCalls("conversations.create", 1).get(0);
        assertThat(create.get("name")).isEqualTo("inc-1-refund-agent-sent-wrong-refunds-twice");
        Map<String, String> invite =
                bot.slack().awaitCalls("conversations.invite", 1).get(0);
        assertThat(invite.get("channel")).isEqualTo("C0EAQDV4Z");
        assertThat(invite.get("users")).isEqualTo(TestBot.USER);
        var posts = bot.slack().awaitCalls("chat.postMessage", 2);
        assertThat(posts.get(0).get("channel")).isEqualTo("C0EAQDV4Z");
        assertThat(posts.get(0).get("blocks")).contains("incident_actions");
        assertThat(posts.get(1).get("channel")).isEqualTo(TestBot.CHANNEL);
        assertThat(posts.get(1).get("text")).contains("INC-1").contains("<#C0EAQDV4Z>");
        bot.awaitCount(1, "select count(*) from incident where channel_id = 'C0EAQDV4Z' and card_channel is not null");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'channel_created'"))
                .isEqualTo(1);
    }

    @Test
    void commandsInTheIncidentChannelMayLeaveOutTheKey() {
        bot.command("open high Refund agent sent wrong refunds");
        bot.awaitCount(1, "select count(*) from incident where channel_id is not null and card_ts is not null");

        String note = bot.text(bot.command("note paused the refund workflow", TestBot.USER, "C0EAQDV4Z"));
        String status = bot.text(bot.command("status contained", TestBot.USER, "C0EAQDV4Z"));
        String show = bot.json(bot.command("show", TestBot.USER, "C0EAQDV4Z"))
                .path("blocks")
                .toString();

        assertThat(note).contains("Note added to INC-1");
        assertThat(status).contains("INC-1 moved from detected to *contained*");
        assertThat(show).contains("INC-1 · Refund agent sent wrong refunds").contains("paused the refund workflow");
    }

    @Test
    void aTakenNameDegradesToTheOriginChannelAndSaysWhy() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.create")
                        .willReturn(okJson("{\"ok\":false,\"error\":\"name_taken\"}")));

        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("INC-1");

        var posts = bot.slack().awaitCalls("chat.postMessage", 2);
        assertThat(posts.get(0).get("channel")).isEqualTo(TestBot.CHANNEL);
        assertThat(posts.get(1).get("thread_ts")).isEqualTo("1503435956.000247");
        assertThat(posts.get(1).get("text"))
                .contains("no channel of its own")
                .contains("name_taken")
                .contains("already exists");
        bot.awaitCount(1, "select count(*) from incident where channel_error = 'name_taken' and card_ts is not null");
        assertThat(bot.count("select count(*) from incident where channel_id is null"))
                .isEqualTo(1);
    }

    @Test
    void aMissingScopeDegradesWithAHint() {
        bot.slack()
                .wiremock()
                .stubFor(
                        post("/api/conversations.create")
                                .willReturn(
                                        okJson(
                                                "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"channels:manage\",\"provided\":\"commands,chat:write\"}")));

        bot.command("open high Refund agent sent wrong refunds");

        assertThat(bot.slack().awaitCalls("chat.postMessage", 2).get(1).get("text"))
                .contains("channels:manage");
    }

    @Test
    void aRateLimitedCreateIsRetriedAfterRetryAfter() {
        rateLimitedOnceThen(
                "conversations.create", "{\"ok\": true, \"channel\": {\"id\": \"C0LATER01\", \"name\": \"inc-1\"}}");

        bot.command("open high Refund agent sent wrong refunds");

        assertThat(bot.slack().awaitCalls("conversations.create", 2)).hasSize(2);
        assertThat(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("channel"))
                .isEqualTo("C0LATER01");
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
        java.util.List<String> kinds = bot.db()
                .withHandle(h -> h.select("select kind from timeline_event order by seq")
                        .mapTo(String.class)
                        .list());
        assertThat(kinds).containsExactly("opened", "channel_created");
    }

    @Test
    void aRateLimitedInviteIsRetriedBeforeTheCardIsPosted() {
        rateLimitedOnceThen("conversations.invite", "{\"ok\": true, \"channel\": {\"id\": \"C0EAQDV4Z\"}}");

        bot.command("open high Refund agent sent wrong refunds");

        assertThat(bot.slack().awaitCalls("conversations.invite", 2))
                .allSatisfy(call -> assertThat(call.get("users")).isEqualTo(TestBot.USER));
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
        assertThat(bot.slack().calls("conversations.create"))
                .as("one channel, created once")
                .hasSize(1);
        assertThat(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("channel"))
                .isEqualTo("C0EAQDV4Z");
    }

    @Test
    void channelNamesAreSlackSafe() {
        var key = new io.firebreak.storage.incident.IncidentKey(42);
        assertThat(CardPublisher.channelName(key, "Agent a envoyé des remboursements érronés"))
                .isEqualTo("inc-42-agent-a-envoye-des-remboursements-erronnes".replace("erronnes", "errones"));
        assertThat(CardPublisher.channelName(key, "客服代理")).isEqualTo("inc-42");
        assertThat(CardPublisher.channelName(key, "x".repeat(200))).hasSize(80).startsWith("inc-42-xxx");
    }

    /** Slack answers {@code method} 429 with {@code Retry-After: 1} once, then {@code answer}. */
    private void rateLimitedOnceThen(String method, String answer) {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/" + method)
                        .inScenario(method)
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse()
                                .withStatus(429)
                                .withHeader("Retry-After", "1")
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                        .willSetStateTo("answered"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/" + method)
                        .inScenario(method)
                        .whenScenarioStateIs("answered")
                        .willReturn(okJson(answer)));
    }
}
