package io.firebreak.bot.capture.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The "Add to incident timeline" message shortcut end to end, from Slack's captured message_shortcut and
 * view_submission payloads: in an incident channel, elsewhere through the incident picker, and its failures.
 */
class MessageShortcutTest {
    static final String INCIDENT_CHANNEL = "C0INCIDENT1";
    static final String OTHER_CHANNEL = "C0GENERAL77";
    static final String REQUESTER = "U0RESPONDER";
    static final String AUTHOR = "U0SUPPORT01";
    static final String TS = "1583636382.000300";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");
        bot.db().useHandle(h -> h.execute("update incident set channel_id = ? where id = 1", INCIDENT_CHANNEL));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private HttpResponse<String> shortcut(String channel, String text, String answerTo) {
        return SlackRequests.interaction(
                bot,
                SlackRequests.messageShortcut(
                        TimelineCapture.SHORTCUT,
                        REQUESTER,
                        channel,
                        AUTHOR,
                        text,
                        TS,
                        bot.slack().responseUrl(answerTo)));
    }

    @Test
    void inAnIncidentChannelTheMessageIsCapturedAndThePersonToldWithoutReadingHistory() {
        HttpResponse<String> response =
                shortcut(INCIDENT_CHANNEL, "Customer 4411 got €0 instead of €40 🙁", "in-channel");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        JsonNode told = bot.slack().awaitResponses("in-channel", 1).get(0);
        assertThat(told.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(told.path("text").asText())
                .contains("Added")
                .contains("*INC-1*")
                .contains("<https://ghostbusters.slack.com/archives/C1H9RESGA/p135854651500008|this message>");
        String details = bot.string("select details::text from timeline_event where kind = 'message_captured'");
        assertThat(details)
                .contains("\"method\":\"shortcut\"")
                .contains("\"author\":\"" + AUTHOR + "\"")
                .contains("Customer 4411 got €0 instead of €40 🙁")
                .contains("\"message_at\":\"2020-03-08T02:59:42.000300Z\"");
        assertThat(bot.string("select actor from timeline_event where kind = 'message_captured'"))
                .isEqualTo(REQUESTER);
        assertThat(bot.slack().calls("conversations.history")).isEmpty();
        assertThat(bot.slack().calls("views.open")).isEmpty();
    }

    @Test
    void aMessageAlreadyOnTheTimelineIsNotAddedTwice() {
        shortcut(INCIDENT_CHANNEL, "the same message", "first");
        bot.slack().awaitResponses("first", 1);

        shortcut(INCIDENT_CHANNEL, "the same message", "second");

        assertThat(bot.slack().awaitResponses("second", 1).get(0).path("text").asText())
                .contains("already on the timeline of *INC-1*");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'message_captured'"))
                .isEqualTo(1);
    }

    @Test
    void elsewhereItAsksWhichIncidentThenCapturesIntoThePickedOne() {
        bot.command("open critical Agent deleting customer records");
        bot.command("open Unassessed report");

        shortcut(OTHER_CHANNEL, "Saw the agent delete account 77 at 10:14 — token xoxp-fake-token-secret", "picker");

        // "open" without a severity opened the assessment form too; the picker is the one with the shortcut's trigger.
        Map<String, String> open = bot.slack().awaitCall("views.open", c -> "123.123.xxx".equals(c.get("trigger_id")));
        JsonNode view = bot.slack().json(open.get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo(TimelineCapture.PICKER);
        assertThat(view.path("title").path("text").asText().length()).isLessThanOrEqualTo(24);
        JsonNode options = view.path("blocks").get(1).path("element").path("options");
        assertThat(options).hasSize(3);
        assertThat(options.get(0).path("text").path("text").asText()).startsWith("INC-2 · critical");
        assertThat(options.get(1).path("text").path("text").asText()).startsWith("INC-1 · high");
        assertThat(view.toString()).doesNotContain("xoxp-fake-token").contains("[REDACTED]");

        String draft = view.path("private_metadata").asText();
        HttpResponse<String> submitted = SlackRequests.interaction(
                bot,
                SlackRequests.viewSubmission(TimelineCapture.PICKER, REQUESTER, draft, "incident", "incident", "2"));

        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(submitted.body()).isEmpty();
        assertThat(bot.slack().awaitResponses("picker", 1).get(0).path("text").asText())
                .contains("timeline of *INC-2*");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'message_captured' and incident_id = 2"))
                .isEqualTo(1);
        assertThat(bot.string("select details::text from timeline_event where kind = 'message_captured'"))
                .contains("\"channel\":\"" + OTHER_CHANNEL + "\"")
                .contains("Saw the agent delete account 77")
                .doesNotContain("xoxp-");
        assertThat(bot.count("select count(*) from message_capture_draft")).isZero();
    }

    @Test
    void pickingAnIncidentThatHasTheMessageAlreadyKeepsTheModalOpenWithTheReason() {
        bot.db().useHandle(h -> h.execute("update incident set channel_id = null where id = 1"));
        shortcut(OTHER_CHANNEL, "first capture", "one");
        String draft = bot.slack()
                .json(bot.slack().awaitCalls("views.open", 1).get(0).get("view"))
                .path("private_metadata")
                .asText();
        SlackRequests.interaction(
                bot,
                SlackRequests.viewSubmission(TimelineCapture.PICKER, REQUESTER, draft, "incident", "incident", "1"));
        bot.slack().awaitResponses("one", 1);

        shortcut(OTHER_CHANNEL, "first capture", "two");
        String again = bot.slack()
                .json(bot.slack().awaitCalls("views.open", 2).get(1).get("view"))
                .path("private_metadata")
                .asText();
        HttpResponse<String> response = SlackRequests.interaction(
                bot,
                SlackRequests.viewSubmission(TimelineCapture.PICKER, REQUESTER, again, "incident", "incident", "1"));

        JsonNode answer = bot.json(response);
        assertThat(answer.path("response_action").asText()).isEqualTo("errors");
        assertThat(answer.path("errors").path("incident").asText()).contains("already on the timeline of *INC-1*");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'message_captured'"))
                .isEqualTo(1);
    }

    @Test
    void pickingAClosedOrUnknownIncidentOrAnExpiredRequestIsRefusedInTheModal() {
        bot.db().useHandle(h -> h.execute("update incident set channel_id = null where id = 1"));
        shortcut(OTHER_CHANNEL, "to be placed", "refusals");
        String draft = bot.slack()
                .json(bot.slack().awaitCalls("views.open", 1).get(0).get("view"))
                .path("private_metadata")
                .asText();
        bot.db().useHandle(h -> h.execute("update incident set phase = 'CLOSED' where id = 1"));

        JsonNode closed = bot.json(SlackRequests.interaction(
                bot,
                SlackRequests.viewSubmission(TimelineCapture.PICKER, REQUESTER, draft, "incident", "incident", "1")));
        JsonNode unknown = bot.json(SlackRequests.interaction(
                bot,
                SlackRequests.viewSubmission(TimelineCapture.PICKER, REQUESTER, draft, "incident", "incident", "42")));
        JsonNode expired = bot.json(SlackRequests.interaction(
                bot,
                SlackRequests.viewSubmission(
                        TimelineCapture.PICKER, REQUESTER, "999999", "incident", "incident", "1")));

        assertThat(closed.path("errors").path("incident").asText()).contains("INC-1 is closed now");
        assertThat(unknown.path("errors").path("incident").asText()).contains("There is no incident INC-42");
        assertThat(expired.path("errors").path("incident").asText()).contains("expired");
        assertThat(bot.count("select count(*) from message_capture")).isZero();
        assertThat(bot.count("select count(*) from message_capture_draft")).isEqualTo(1);
    }

    @Test
    void withNoOpenIncidentTheShortcutSaysSo() {
        bot.db().useHandle(h -> h.execute("update incident set phase = 'CLOSED'"));

        shortcut(OTHER_CHANNEL, "nothing to attach to", "none");

        assertThat(bot.slack().awaitResponses("none", 1).get(0).path("text").asText())
                .contains("no open incidents");
        assertThat(bot.slack().calls("views.open")).isEmpty();
    }

    @Test
    void whenSlackRefusesToOpenThePickerThePersonIsTold() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/views.open").willReturn(okJson("{\"ok\":false,\"error\":\"expired_trigger_id\"}")));

        shortcut(OTHER_CHANNEL, "too slow", "expired");

        String told =
                bot.slack().awaitResponses("expired", 1).get(0).path("text").asText();
        assertThat(told)
                .contains("Could not open the incident picker")
                .contains("expired_trigger_id")
                .contains("shortcut");
        assertThat(bot.count("select count(*) from message_capture")).isZero();
    }

    @Test
    void aRateLimitedPermalinkIsRetriedAndThePersonToldOnceCaptured() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.getPermalink")
                        .inScenario("limit")
                        .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(429)
                                .withHeader("Retry-After", "1")
                                .withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                        .willSetStateTo("ok"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.getPermalink")
                        .inScenario("limit")
                        .whenScenarioStateIs("ok")
                        .willReturn(okJson(SlackApiStub.PERMALINK_OK)));
        Instant asked = Instant.now();

        shortcut(INCIDENT_CHANNEL, "keep me", "limited");

        assertThat(bot.slack().awaitResponses("limited", 1).get(0).path("text").asText())
                .contains("Added");
        assertThat(Duration.between(asked, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(bot.slack().calls("chat.getPermalink")).hasSize(2);
        assertThat(bot.count("select count(*) from timeline_event where kind = 'message_captured'"))
                .isEqualTo(1);
    }
}
