package io.firebreak.bot.capture.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.storage.incident.IncidentKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timeline capture from Slack, end to end: Slack's own event payloads, signed and sent to the real server;
 * WireMock as Slack's Web API; assertions on the timeline, the capture rows and the calls the bot made.
 */
class TimelineCaptureTest {
    static final String INCIDENT_CHANNEL = "C0INCIDENT1";
    static final String OTHER_CHANNEL = "C0GENERAL77";
    static final String PINNER = "U27FFLNF4";
    static final String AUTHOR = "U299ATJ2X";
    static final String TS = "1477958101.000004";
    final ObjectMapper mapper = new ObjectMapper();
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

    private HttpResponse<String> pin(String eventId, String user, String channel, String ts) {
        return SlackRequests.event(
                bot, SlackRequests.reaction("reaction_added", eventId, user, "pushpin", channel, ts));
    }

    private HttpResponse<String> unpin(String eventId, String user, String channel, String ts) {
        return SlackRequests.event(
                bot, SlackRequests.reaction("reaction_removed", eventId, user, "pushpin", channel, ts));
    }

    @Test
    void aPinInTheIncidentChannelPutsTheMessageOnTheTimeline() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "Refunds are going to the wrong accounts since 14:02");

        HttpResponse<String> response = pin("Ev0PIN00001", PINNER, INCIDENT_CHANNEL, TS);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode captured = awaitEvent("message_captured");
        assertThat(captured.path("actor").asText()).isEqualTo(PINNER);
        JsonNode details = captured.path("details");
        assertThat(details.path("author").asText()).isEqualTo(AUTHOR);
        assertThat(details.path("text").asText()).isEqualTo("Refunds are going to the wrong accounts since 14:02");
        assertThat(details.path("permalink").asText()).isEqualTo(SlackApiStub.permalinkOf(INCIDENT_CHANNEL, TS));
        assertThat(details.path("message_at").asText()).isEqualTo("2016-10-31T23:55:01.000004Z");
        assertThat(details.path("method").asText()).isEqualTo("reaction");
        assertThat(details.path("channel").asText()).isEqualTo(INCIDENT_CHANNEL);
        assertThat(details.path("ts").asText()).isEqualTo(TS);

        Map<String, String> read = bot.slack().calls("conversations.history").get(0);
        assertThat(read)
                .containsEntry("channel", INCIDENT_CHANNEL)
                .containsEntry("latest", TS)
                .containsEntry("inclusive", "1")
                .containsEntry("limit", "1")
                .containsEntry("_authorization", "Bearer " + TestBot.BOT_TOKEN);
        assertThat(bot.slack().calls("chat.getPermalink").get(0))
                .containsEntry("channel", INCIDENT_CHANNEL)
                .containsEntry("message_ts", TS);
        assertThat(bot.firebreak()
                        .incidents()
                        .verify(new IncidentKey(1))
                        .orElseThrow()
                        .ok())
                .isTrue();
        assertThat(bot.string("select state from message_capture")).isEqualTo("CAPTURED");
    }

    @Test
    void duplicateDeliveriesAndRetriesOfOneEventCaptureOnce() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "Agent is refunding twice");
        String body = SlackRequests.reaction("reaction_added", "Ev0DUPLICATE", PINNER, "pushpin", INCIDENT_CHANNEL, TS);

        assertThat(SlackRequests.event(bot, body).statusCode()).isEqualTo(200);
        assertThat(SlackRequests.event(bot, body).statusCode()).isEqualTo(200);
        assertThat(SlackRequests.event(
                                bot, body, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"))
                        .statusCode())
                .isEqualTo(200);
        awaitEvent("message_captured");
        settle();

        assertThat(count("message_captured")).isEqualTo(1);
        assertThat(bot.count("select count(*) from received_event where event_id = 'Ev0DUPLICATE'"))
                .isEqualTo(1);
        assertThat(bot.count("select count(*) from message_capture")).isEqualTo(1);
        assertThat(bot.slack().calls("conversations.history")).hasSize(1);
    }

    @Test
    void theSameMessagePinnedTwiceIsCapturedOnce() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "Agent is refunding twice");

        pin("Ev0FIRSTPIN", PINNER, INCIDENT_CHANNEL, TS);
        awaitEvent("message_captured");
        pin("Ev0SECONDPN", "U0SECONDPIN", INCIDENT_CHANNEL, TS);
        settle();

        assertThat(count("message_captured")).isEqualTo(1);
        assertThat(bot.count("select count(*) from message_capture")).isEqualTo(1);
        assertThat(bot.count("select count(*) from received_event")).isEqualTo(2);
    }

    @Test
    void reactionsOutsideIncidentChannelsAndOtherReactionsDoNothing() {
        assertThat(pin("Ev0ELSEWHERE", PINNER, OTHER_CHANNEL, TS).statusCode()).isEqualTo(200);
        HttpResponse<String> grin = SlackRequests.event(
                bot,
                SlackRequests.reaction("reaction_added", "Ev0GRINNING1", PINNER, "grinning", INCIDENT_CHANNEL, TS));
        assertThat(grin.statusCode()).isEqualTo(200);
        assertThat(unpin("Ev0UNPINELSE", PINNER, OTHER_CHANNEL, TS).statusCode())
                .isEqualTo(200);
        settle();

        assertThat(bot.count("select count(*) from message_capture")).isZero();
        assertThat(bot.count("select count(*) from timeline_event where kind <> 'opened'"))
                .isZero();
        assertThat(bot.slack().calls("conversations.history")).isEmpty();
        assertThat(bot.slack().calls("chat.getPermalink")).isEmpty();
    }

    @Test
    void nonAsciiTextRoundTripsAndCredentialsAreMasked() {
        String text = "返金エージェントが誤作動 🚨💸 — clé: xoxb-fake-token-abcdefghij leaked in the log";
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, text);

        pin("Ev0UNICODE01", PINNER, INCIDENT_CHANNEL, TS);

        String kept =
                awaitEvent("message_captured").path("details").path("text").asText();
        assertThat(kept).isEqualTo("返金エージェントが誤作動 🚨💸 — clé: [REDACTED] leaked in the log");
        assertThat(bot.string("select text from message_capture")).doesNotContain("xoxb-");
        assertThat(bot.count("select count(*) from timeline_event where details::text like '%xoxb-%'"))
                .isZero();
    }

    @Test
    void aThreadedReplyIsReadFromItsThread() {
        String reply = "1477958200.000100";
        String parent = "1477958000.000001";
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.history")
                        .withRequestBody(containing("latest=" + reply))
                        .willReturn(okJson(
                                bot.slack().history(bot.slack().messageJson(parent, AUTHOR, "the thread's parent")))));
        com.fasterxml.jackson.databind.node.ObjectNode inThread =
                bot.slack().messageJson(reply, "U0REPLIER", "reply in a thread: 見つけた");
        inThread.put("thread_ts", parent);
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.replies")
                        .withRequestBody(containing("ts=" + reply))
                        .willReturn(okJson(bot.slack()
                                .history(bot.slack().messageJson(parent, AUTHOR, "the thread's parent"), inThread))));

        pin("Ev0THREADED", PINNER, INCIDENT_CHANNEL, reply);

        JsonNode details = awaitEvent("message_captured").path("details");
        assertThat(details.path("author").asText()).isEqualTo("U0REPLIER");
        assertThat(details.path("text").asText()).isEqualTo("reply in a thread: 見つけた");
        assertThat(details.path("thread_ts").asText()).isEqualTo(parent);
        assertThat(bot.slack().calls("conversations.replies").get(0))
                .containsEntry("channel", INCIDENT_CHANNEL)
                .containsEntry("ts", reply);
    }

    @Test
    void aMessageSlackNoLongerHasFailsWithoutTouchingTheTimeline() {
        // History answers with older messages only (Slack's documented example); the thread does not know it either.
        pin("Ev0NOTFOUND1", PINNER, INCIDENT_CHANNEL, TS);

        awaitCapture("FAILED");
        assertThat(bot.string("select problem from message_capture")).isEqualTo("message_not_found");
        assertThat(bot.count("select count(*) from timeline_event where kind <> 'opened'"))
                .isZero();
        assertThat(bot.slack().calls("conversations.replies")).hasSize(1);
    }

    @Test
    void notInChannelFailsAndPinningAgainLaterCaptures() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.history")
                        .willReturn(okJson("{\"ok\":false,\"error\":\"not_in_channel\"}")));

        pin("Ev0NOTINCHAN", PINNER, INCIDENT_CHANNEL, TS);

        awaitCapture("FAILED");
        assertThat(bot.string("select problem from message_capture")).isEqualTo("not_in_channel");
        assertThat(bot.slack().calls("conversations.replies")).isEmpty();

        // The bot is invited; the responder removes and adds the pin again.
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "now readable");
        unpin("Ev0UNPINFAIL", PINNER, INCIDENT_CHANNEL, TS);
        pin("Ev0REPINNED1", PINNER, INCIDENT_CHANNEL, TS);

        assertThat(awaitEvent("message_captured").path("details").path("text").asText())
                .isEqualTo("now readable");
        assertThat(bot.count("select attempt from message_capture")).isEqualTo(2);
    }

    @Test
    void rateLimitedReadsAreRetriedAfterRetryAfter() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "captured despite the rate limit");
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.history")
                        .inScenario("rate limit")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse()
                                .withStatus(429)
                                .withHeader("Retry-After", "1")
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
                        .willSetStateTo("limited once"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.history")
                        .inScenario("rate limit")
                        .whenScenarioStateIs("limited once")
                        .willReturn(okJson(bot.slack()
                                .history(bot.slack().messageJson(TS, AUTHOR, "captured despite the rate limit")))));
        Instant pinned = Instant.now();

        pin("Ev0RATELIMIT", PINNER, INCIDENT_CHANNEL, TS);

        JsonNode captured = awaitEvent("message_captured");
        assertThat(captured.path("details").path("text").asText()).isEqualTo("captured despite the rate limit");
        List<Map<String, String>> reads = bot.slack().calls("conversations.history");
        assertThat(reads).hasSize(2);
        assertThat(Duration.between(pinned, Instant.parse(captured.path("at").asText())))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(bot.count("select tries from message_capture")).isEqualTo(1);
    }

    @Test
    void slackUnreachableIsRetriedAndNothingIsLost() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "kept through an outage");
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.getPermalink")
                        .inScenario("outage")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse()
                                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER))
                        .willSetStateTo("back"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.getPermalink")
                        .inScenario("outage")
                        .whenScenarioStateIs("back")
                        .willReturn(okJson(SlackApiStub.PERMALINK_OK)));

        pin("Ev0OUTAGE001", PINNER, INCIDENT_CHANNEL, TS);

        JsonNode details = awaitEvent("message_captured").path("details");
        assertThat(details.path("text").asText()).isEqualTo("kept through an outage");
        assertThat(details.path("permalink").asText())
                .isEqualTo("https://ghostbusters.slack.com/archives/C1H9RESGA/p135854651500008");
    }

    @Test
    void aMessageWithoutAPermalinkIsStillCapturedAndSaysWhy() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "no link for this one");
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.getPermalink")
                        .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));

        pin("Ev0NOLINK001", PINNER, INCIDENT_CHANNEL, TS);

        JsonNode details = awaitEvent("message_captured").path("details");
        assertThat(details.path("permalink").isNull()).isTrue();
        assertThat(details.path("permalink_problem").asText()).isEqualTo("channel_not_found");
    }

    @Test
    void removingThePinRecordsARetractionAndPinningAgainRestores() {
        bot.slack().message(INCIDENT_CHANNEL, TS, AUTHOR, "Wrong refund amounts");
        pin("Ev0PINNED001", PINNER, INCIDENT_CHANNEL, TS);
        int capturedSeq = awaitEvent("message_captured").path("seq").asInt();

        assertThat(unpin("Ev0UNPINNED1", "U0REMOVER1", INCIDENT_CHANNEL, TS).statusCode())
                .isEqualTo(200);
        unpin("Ev0UNPINNED1", "U0REMOVER1", INCIDENT_CHANNEL, TS);
        unpin("Ev0UNPINNED2", PINNER, INCIDENT_CHANNEL, TS);

        JsonNode retracted = awaitEvent("message_retracted");
        assertThat(retracted.path("actor").asText()).isEqualTo("U0REMOVER1");
        assertThat(retracted.path("details").path("captured_seq").asInt()).isEqualTo(capturedSeq);
        assertThat(retracted.path("details").path("permalink").asText())
                .isEqualTo(SlackApiStub.permalinkOf(INCIDENT_CHANNEL, TS));
        assertThat(count("message_retracted")).isEqualTo(1);
        assertThat(count("message_captured")).isEqualTo(1);
        assertThat(bot.string("select state from message_capture")).isEqualTo("RETRACTED");

        pin("Ev0REPINNED2", PINNER, INCIDENT_CHANNEL, TS);

        assertThat(count("message_restored")).isEqualTo(1);
        assertThat(count("message_captured")).isEqualTo(1);
        assertThat(bot.string("select state from message_capture")).isEqualTo("CAPTURED");
        assertThat(bot.slack().calls("conversations.history")).hasSize(1);
        assertThat(bot.firebreak()
                        .incidents()
                        .verify(new IncidentKey(1))
                        .orElseThrow()
                        .ok())
                .isTrue();

        String link = SlackApiStub.permalinkOf(INCIDENT_CHANNEL, TS);
        String shown = bot.json(bot.command("show INC-1")).path("blocks").toString();
        assertThat(shown)
                .contains("<@" + PINNER + "> captured <" + link + "|a message> from <@" + AUTHOR
                        + "> (:pushpin:): Wrong refund amounts")
                .contains("<@U0REMOVER1> retracted <" + link + "|the captured message> (event " + capturedSeq + ")")
                .contains("<@" + PINNER + "> put back <" + link + "|the captured message> (event " + capturedSeq + ")");
    }

    @Test
    void unknownEventTypesAreAcknowledgedSoSlackDoesNotRetryThem() {
        HttpResponse<String> message = SlackRequests.event(bot, Fixtures.read("slack/event_message.json"));
        HttpResponse<String> mention = SlackRequests.event(bot, Fixtures.read("slack/event_app_mention.json"));

        assertThat(message.statusCode()).isEqualTo(200);
        assertThat(mention.statusCode()).isEqualTo(200);
    }

    @Test
    void aNonAsciiEventBodyKeepsItsSignature() {
        String body = Fixtures.read("slack/event_message.json");
        String text =
                body.substring(body.indexOf("\"text\":\"") + 8, body.indexOf('"', body.indexOf("\"text\":\"") + 8));
        String nonAscii = body.replace("\"text\":\"" + text + "\"", "\"text\":\"返金が止まらない 🚨 Ünïcødé\"");
        assertThat(nonAscii).isNotEqualTo(body);

        assertThat(SlackRequests.event(bot, nonAscii).statusCode()).isEqualTo(200);
    }

    @Test
    void urlVerificationAnswersTheChallenge() {
        HttpResponse<String> response = SlackRequests.event(bot, Fixtures.read("slack/url_verification.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(response.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    }

    @Test
    void aForgedEventIsRejectedAndChangesNothing() {
        String body = SlackRequests.reaction("reaction_added", "Ev0FORGED01", PINNER, "pushpin", INCIDENT_CHANNEL, TS);
        long now = System.currentTimeMillis() / 1000;
        String forged =
                new SlackSigner(new io.firebreak.bot.platform.config.Secret("not-the-signing-secret")).sign(now, body);

        HttpResponse<String> response = bot.postToSlackEvents(body, "application/json", now, forged);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(bot.count("select count(*) from received_event")).isZero();
        assertThat(bot.count("select count(*) from message_capture")).isZero();
    }

    private long count(String kind) {
        return bot.count("select count(*) from timeline_event where kind = ?", kind);
    }

    /** Waits for the newest timeline event of {@code kind} and returns it with its details parsed. */
    private JsonNode awaitEvent(String kind) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> rows = bot.db()
                    .withHandle(h -> h.select(
                                    "select seq, actor, kind, at, details::text as details from timeline_event where kind = ? order by seq desc limit 1",
                                    kind)
                            .mapToMap()
                            .list());
            if (!rows.isEmpty()) {
                Map<String, Object> row = rows.get(0);
                var node = mapper.createObjectNode()
                        .put("seq", (Integer) row.get("seq"))
                        .put("actor", (String) row.get("actor"))
                        .put(
                                "at",
                                ((java.sql.Timestamp) row.get("at")).toInstant().toString());
                try {
                    node.set("details", mapper.readTree((String) row.get("details")));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return node;
            }
            sleep(25);
        }
        throw new AssertionError("no " + kind + " event on the timeline; captures: "
                + bot.db()
                        .withHandle(h -> h.select("select state, problem from message_capture")
                                .mapToMap()
                                .list()));
    }

    private void awaitCapture(String state) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (bot.count("select count(*) from message_capture where state = ?", state) > 0) {
                return;
            }
            sleep(25);
        }
        throw new AssertionError("no capture reached " + state);
    }

    /** Waits until every job the events could have started is done, so jobs that should not exist would show. */
    private void settle() {
        JobQueue.awaitSettled(bot);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
