package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /incident open|list|show} end to end: signed requests in, Slack Web API calls and rows out. */
class OpenListShowTest {
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
    void openStoresTheIncidentAnswersAndPostsTheCard() {
        HttpResponse<String> response = bot.command("open high Refund agent sent wrong refunds");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = bot.json(response);
        assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(answer.path("text").asText())
                .contains("INC-1")
                .contains("high")
                .contains("Refund agent sent wrong refunds");

        Map<String, String> post = bot.slack().awaitCalls("chat.postMessage", 1).get(0);
        assertThat(post.get("channel")).isEqualTo(TestBot.CHANNEL);
        assertThat(post.get("_authorization")).isEqualTo("Bearer " + TestBot.BOT_TOKEN);
        assertThat(post.get("text")).contains("INC-1").contains("high");
        JsonNode blocks = bot.slack().json(post.get("blocks"));
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("text").asText())
                .isEqualTo("INC-1 · Refund agent sent wrong refunds");
        assertThat(blocks.toString()).contains("<@" + TestBot.USER + ">").contains("detected");

        Map<String, Object> row = bot.db()
                .withHandle(h -> h.select("select * from incident where id = 1")
                        .mapToMap()
                        .one());
        assertThat(row)
                .containsEntry("title", "Refund agent sent wrong refunds")
                .containsEntry("severity", "HIGH")
                .containsEntry("phase", "DETECTED")
                .containsEntry("commander", TestBot.USER)
                .containsEntry("reporter", TestBot.USER)
                .containsEntry("origin_channel", TestBot.CHANNEL);
        bot.awaitCount(1, "select count(*) from incident where id = 1 and card_ts = '1503435956.000247'");
        Map<String, Object> opened = bot.db()
                .withHandle(h -> h.select(
                                "select actor, kind, details::text as details from timeline_event where incident_id = 1")
                        .mapToMap()
                        .one());
        assertThat(opened).containsEntry("actor", TestBot.USER).containsEntry("kind", "opened");
        assertThat((String) opened.get("details"))
                .contains("\"source\":\"slash-command\"")
                .contains("\"channel\":\"" + TestBot.CHANNEL + "\"")
                .contains("\"severity\":\"HIGH\"");
    }

    @Test
    void openWithoutSeverityIsNotAssessed() {
        HttpResponse<String> response = bot.command("open Support agent promised a refund it cannot give");

        assertThat(bot.text(response)).contains("INC-1").contains("not assessed");
        assertThat(bot.count("select count(*) from incident where severity is null"))
                .isEqualTo(1);
        assertThat(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("blocks"))
                .contains("not assessed");
    }

    @Test
    void nonAsciiAndEscapedTitlesAreKeptAsTyped() {
        bot.command(
                "open critical Agent a envoyé des remboursements erronés 💸 &lt;200 € &amp; <@U024BE7LH|bob> saw it");

        String title = bot.string("select title from incident");
        assertThat(title).isEqualTo("Agent a envoyé des remboursements erronés 💸 <200 € & @bob saw it");
        String blocks = bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("blocks");
        assertThat(blocks).contains("envoyé").contains("💸");
    }

    @Test
    void longTitlesAreCutCleanlyForTheCardHeader() {
        String longTitle = "The refund agent ".repeat(40).strip();
        bot.command("open medium " + longTitle);

        JsonNode blocks = bot.slack()
                .json(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("blocks"));
        String header = blocks.get(0).path("text").path("text").asText();
        assertThat(header.length()).isLessThanOrEqualTo(150);
        assertThat(header).endsWith("…").startsWith("INC-1 · The refund agent");
        assertThat(blocks.toString()).contains(longTitle.substring(0, 500));
    }

    @Test
    void rejectedOpensSayWhatWasWrongAndWriteNothing() {
        assertThat(bot.text(bot.command("open")))
                .contains("needs a title")
                .contains("/incident open [--private] [low|medium|high|critical] <title>");
        assertThat(bot.text(bot.command("open high   "))).contains("needs a title");
        assertThat(bot.text(bot.command("open sev1 Refund agent sent wrong refunds")))
                .contains("`sev1` is not a severity");
        assertThat(bot.text(bot.command("open urgent Refund agent"))).contains("`urgent` is not a severity");
        assertThat(bot.text(bot.command("open critcal Refund agent"))).contains("`critcal` is not a severity");

        assertThat(bot.count("select count(*) from incident")).isZero();
        assertThat(bot.count("select count(*) from timeline_event")).isZero();
        assertThat(bot.slack().calls("chat.postMessage")).isEmpty();
    }

    @Test
    void aQuotedTitleMayStartWithASeverityLikeWord() {
        bot.command("open \"Urgent refunds sent twice\"");

        assertThat(bot.string("select title from incident")).isEqualTo("Urgent refunds sent twice");
    }

    @Test
    void unknownSubcommandsShowTheHelp() {
        String text = bot.text(bot.command("opne high Refund agent"));

        assertThat(text)
                .contains("`opne` is not a /incident subcommand")
                .contains("/incident open")
                .contains("/incident list");
        assertThat(bot.count("select count(*) from incident")).isZero();
    }

    @Test
    void emptyCommandAndHelpShowTheGrammar() {
        assertThat(bot.text(bot.command("")))
                .contains("/incident open [--private] [low|medium|high|critical] <title>")
                .contains("/incident list")
                .contains("/incident show [INC-<n>]")
                .contains("/incident help");
        assertThat(bot.text(bot.command("help")))
                .contains("/incident sev [INC-<n>] <low|medium|high|critical> <reason>");
    }

    @Test
    void listShowsOpenIncidentsMostSevereFirst() {
        bot.command("open low Typo in a drafted answer");
        bot.command("open Unassessed report");
        bot.command("open critical Agent deleting customer records");
        bot.command("open medium Wrong store hours");

        String text = bot.text(bot.command("list"));

        assertThat(text).contains("Open incidents* (4)");
        assertThat(text.indexOf("INC-3")).isLessThan(text.indexOf("INC-4"));
        assertThat(text.indexOf("INC-4")).isLessThan(text.indexOf("INC-1"));
        assertThat(text.indexOf("INC-1")).isLessThan(text.indexOf("INC-2"));
    }

    @Test
    void listWithNothingOpenSaysSo() {
        assertThat(bot.text(bot.command("list"))).contains("No open incidents");
    }

    @Test
    void showAnswersWithTheCardAndTheLatestTimeline() {
        bot.command("open high Refund agent sent wrong refunds");

        JsonNode answer = bot.json(bot.command("show inc-1"));

        assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
        String blocks = answer.path("blocks").toString();
        assertThat(blocks)
                .contains("INC-1 · Refund agent sent wrong refunds")
                .contains("Timeline* (1 newest of 1)")
                .contains("opened the incident (severity high)");
    }

    @Test
    void showOfUnknownOrMalformedKeysSaysSo() {
        assertThat(bot.text(bot.command("show INC-42")))
                .contains("There is no incident INC-42")
                .contains("/incident list");
        assertThat(bot.text(bot.command("show 42x"))).contains("`42x` is not an incident key");
        assertThat(bot.text(bot.command("show"))).contains("Say which incident");
    }

    @Test
    void slackErrorsNeverBreakTheCommand() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postMessage")
                        .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));

        HttpResponse<String> response = bot.command("open high Refund agent sent wrong refunds");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(bot.text(response)).contains("INC-1");
        bot.slack().awaitCalls("chat.postMessage", 1);
        assertThat(bot.count("select count(*) from incident where card_ts is null"))
                .isEqualTo(1);
    }

    @Test
    void slackUnreachableNeverBreaksTheCommand() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postMessage")
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("INC-1");
        bot.slack().awaitCalls("chat.postMessage", 1);
        assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
    }

    @Test
    void aRateLimitedCardPostIsRetriedAfterRetryAfterAndPostedOnce() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postMessage")
                        .inScenario("limited")
                        .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(429)
                                .withHeader("Retry-After", "1")
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                        .willSetStateTo("calm"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postMessage")
                        .inScenario("limited")
                        .whenScenarioStateIs("calm")
                        .willReturn(okJson(io.firebreak.bot.testing.SlackApiStub.POST_MESSAGE_OK)));

        long started = System.currentTimeMillis();
        bot.command("open high Refund agent sent wrong refunds");

        bot.awaitCount(1, "select count(*) from incident where card_ts = '1503435956.000247'");
        assertThat(System.currentTimeMillis() - started).isGreaterThanOrEqualTo(900);
        assertThat(bot.slack().calls("chat.postMessage")).hasSize(2);
    }

    @Test
    void showKeepsWithinBlockKitLimitsHoweverLongTheNotes() {
        bot.command("open high " + "Refund agent sent wrong refunds ".repeat(20));
        for (int i = 0; i < 12; i++) {
            bot.command("note INC-1 " + ("note " + i + " ").repeat(500));
        }

        JsonNode blocks = bot.json(bot.command("show INC-1")).path("blocks");

        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        for (JsonNode block : blocks) {
            assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(3000);
            if (block.path("type").asText().equals("header")) {
                assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(150);
            }
            for (JsonNode field : block.path("fields")) {
                assertThat(field.path("text").asText().length()).isLessThanOrEqualTo(2000);
            }
        }
        assertThat(blocks.toString()).contains("Timeline* (10 newest of 13)").contains("…");
    }
}
