package io.firebreak.bot.slack.socket;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.firebreak.bot.platform.config.ConfigException;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.PrometheusText;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.SocketModeStandIn;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Socket Mode end to end: a real bot whose {@code apps.connections.open} leads to a local stand-in of Slack's Socket
 * Mode server, driven with Slack's envelopes around the same payloads the HTTP tests send, and compared with what the
 * same requests over HTTP store.
 */
class SocketModeTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String TS = "1477958101.000004";

    SocketModeStandIn slack;
    TestBot bot;

    @BeforeEach
    void start() {
        slack = new SocketModeStandIn();
        bot = TestBot.startSocketMode(slack, Map.of());
        slack.awaitConnections(2);
        Await.until(
                "both connections greeted", () -> bot.firebreak().slackState().equals("socket: 2 of 2 connected"));
    }

    @AfterEach
    void stop() {
        bot.close();
        slack.close();
    }

    private JsonNode command(WebSocket socket, String envelopeId, String text) {
        slack.send(
                socket,
                SocketModeStandIn.slashCommand(
                        envelopeId, Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL)));
        return slack.awaitAck(envelopeId);
    }

    private String row(long id) {
        return bot.string(
                "select concat_ws('|', split_part(title, ' over HTTP', 1), severity, phase, commander, reporter)"
                        + " from incident where id = ?",
                id);
    }

    private List<String> kinds(long id) {
        return bot.db()
                .withHandle(h -> h.createQuery("select kind from timeline_event where incident_id = ? order by seq")
                        .bind(0, id)
                        .mapTo(String.class)
                        .list());
    }

    @Test
    void everyKindOfRequestOverSocketModeStoresWhatTheSameRequestOverHttpStores() {
        WebSocket socket = slack.connections().get(0);

        // A slash command: acknowledged with the same answer HTTP gives, as the envelope's payload.
        JsonNode opened = command(socket, "env-open", "open high Refund agent sent wrong refunds");
        // Another title over HTTP: the same person opening the same title twice within 30 s gets the first back.
        HttpResponse<String> openedOverHttp = bot.command("open high Refund agent sent wrong refunds over HTTP");
        assertThat(opened.path("payload").path("text").asText()).contains("INC-1");
        assertThat(bot.json(openedOverHttp).path("text").asText()).contains("INC-2");
        assertThat(opened.path("payload").path("response_type").asText())
                .isEqualTo(bot.json(openedOverHttp).path("response_type").asText());

        // A modal submission refused with field errors: Slack gets response_action "errors" in the ack's payload.
        JsonNode emptyNote = submit(socket, "env-note-empty", "INC-1", "   ");
        HttpResponse<String> emptyNoteOverHttp = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_note", "INC-2", TestBot.USER, SlackPayloads.textValues("note", "   ")),
                FORM);
        assertThat(emptyNote.path("payload")).isEqualTo(bot.json(emptyNoteOverHttp));
        assertThat(emptyNote.path("payload").path("response_action").asText()).isEqualTo("errors");
        JsonNode note = submit(socket, "env-note", "INC-1", "Vendor confirms the refund API double-posted");
        bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_note",
                        "INC-2",
                        TestBot.USER,
                        SlackPayloads.textValues("note", "Vendor confirms the refund API double-posted")),
                FORM);
        assertThat(note.has("payload")).isFalse();

        // Pins in each incident's channel: one over Socket Mode, one over HTTP.
        bot.db().useHandle(h -> h.execute("update incident set channel_id = 'C0SOCKET01' where id = 1"));
        bot.db().useHandle(h -> h.execute("update incident set channel_id = 'C0HTTP0001' where id = 2"));
        bot.slack().message("C0SOCKET01", TS, "U299ATJ2X", "Refunds are going to the wrong accounts");
        bot.slack().message("C0HTTP0001", TS, "U299ATJ2X", "Refunds are going to the wrong accounts");
        slack.send(
                socket,
                SocketModeStandIn.event(
                        "env-pin",
                        SlackRequests.reaction(
                                "reaction_added", "Ev0SOCKPIN1", "U27FFLNF4", "pushpin", "C0SOCKET01", TS),
                        0,
                        ""));
        assertThat(slack.awaitAck("env-pin").has("payload")).isFalse();
        SlackRequests.event(
                bot, SlackRequests.reaction("reaction_added", "Ev0HTTPPIN1", "U27FFLNF4", "pushpin", "C0HTTP0001", TS));
        bot.awaitCount(2, "select count(*) from timeline_event where kind = 'message_captured'");

        // A button: the card's Resolve, answered through response_url as over HTTP.
        String socketUrl = bot.slack().responseUrl("socket-resolve");
        String httpUrl = bot.slack().responseUrl("http-resolve");
        slack.send(
                socket,
                SocketModeStandIn.interactive(
                        "env-resolve", SlackPayloads.button("incident_resolve", "INC-1", TestBot.USER, socketUrl)));
        assertThat(slack.awaitAck("env-resolve").has("payload")).isFalse();
        bot.postSigned(SlackPayloads.button("incident_resolve", "INC-2", TestBot.USER, httpUrl), FORM);
        assertThat(bot.slack().awaitResponseTexts("socket-resolve", 1).get(0))
                .contains("moved from detected to *resolved*");
        assertThat(bot.slack().awaitResponseTexts("http-resolve", 1).get(0))
                .contains("moved from detected to *resolved*");

        // App Home, published for the person who opened it.
        slack.send(
                socket,
                SocketModeStandIn.event(
                        "env-home", SlackRequests.appHomeOpened("Ev0SOCKHOME", TestBot.USER, "home"), 0, ""));
        slack.awaitAck("env-home");
        assertThat(bot.slack().awaitCalls("views.publish", 1).get(0)).containsEntry("user_id", TestBot.USER);

        assertThat(row(1)).isEqualTo(row(2)).contains("Refund agent sent wrong refunds|HIGH|RESOLVED");
        assertThat(kinds(1)).isEqualTo(kinds(2)).contains("note", "message_captured", "phase_changed");
        PrometheusText metrics =
                new PrometheusText(bot.get("/metrics", Optional.empty()).body());
        assertThat(metrics.get(
                        "firebreak_slack_socket_envelopes_total",
                        Map.of("type", "slash_commands", "outcome", "handled")))
                .isEqualTo(1);
        assertThat(metrics.get(
                        "firebreak_slack_socket_envelopes_total", Map.of("type", "interactive", "outcome", "handled")))
                .isEqualTo(3);
        assertThat(metrics.get(
                        "firebreak_slack_socket_envelopes_total", Map.of("type", "events_api", "outcome", "handled")))
                .isEqualTo(2);
        assertThat(metrics.get(
                        "firebreak_slack_request_seconds_count",
                        Map.of("kind", "command", "command", "open", "status", "200")))
                .isEqualTo(2);
        assertThat(metrics.get("firebreak_slack_socket_connections", Map.of())).isEqualTo(2);
    }

    private JsonNode submit(WebSocket socket, String envelopeId, String incident, String text) {
        slack.send(
                socket,
                SocketModeStandIn.interactive(
                        envelopeId,
                        SlackPayloads.viewSubmission(
                                "incident_note", incident, TestBot.USER, SlackPayloads.textValues("note", text))));
        return slack.awaitAck(envelopeId);
    }

    @Test
    void theAccessPolicyAndShortcutsWorkOverSocketModeAsOverHttp() {
        WebSocket socket = slack.connections().get(0);
        command(socket, "env-open", "open high Refund agent sent wrong refunds");

        // Someone who is not a responder: refused by the same middleware, and nothing is written.
        slack.send(
                socket,
                SocketModeStandIn.slashCommand(
                        "env-refused",
                        Fixtures.slashCommand(
                                "/incident", "sev INC-1 critical it spread", "U0RANDOM99", TestBot.CHANNEL)));
        HttpResponse<String> overHttp = bot.command("sev INC-1 critical it spread", "U0RANDOM99", TestBot.CHANNEL);
        JsonNode refused = slack.awaitAck("env-refused").path("payload");
        assertThat(refused).isEqualTo(bot.json(overHttp));
        assertThat(refused.path("text").asText()).contains("Only responders can change the severity");
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("HIGH");

        // The global shortcut opens its form with the trigger Slack sent.
        slack.send(
                socket,
                SocketModeStandIn.interactive(
                        "env-shortcut",
                        SlackPayloads.globalShortcut("report_agent_incident", TestBot.USER, "1234.5678.socket")));
        slack.awaitAck("env-shortcut");
        assertThat(bot.slack().awaitCalls("views.open", 1).get(0)).containsEntry("trigger_id", "1234.5678.socket");
    }

    @Test
    void anEventRedeliveredAfterItsConnectionDroppedMidEnvelopeIsHandledOnce() {
        bot.command("open high Refund agent sent wrong refunds");
        bot.db().useHandle(h -> h.execute("update incident set channel_id = 'C0SOCKET01' where id = 1"));
        bot.slack().message("C0SOCKET01", TS, "U299ATJ2X", "Agent is refunding twice");
        List<WebSocket> sockets = slack.connections();
        String pin = SlackRequests.reaction("reaction_added", "Ev0REDELIV1", "U27FFLNF4", "pushpin", "C0SOCKET01", TS);

        // Slack never hears the first ack: it is lost, and the connection drops.
        slack.loseAcks(true);
        slack.send(sockets.get(0), SocketModeStandIn.event("env-first", pin, 0, ""));
        bot.awaitCount(1, "select count(*) from message_capture");
        slack.drop(sockets.get(0));
        slack.loseAcks(false);
        // So Slack delivers it again, on the other connection.
        slack.send(sockets.get(1), SocketModeStandIn.event("env-again", pin, 1, "timeout"));

        assertThat(slack.awaitAck("env-again").has("payload")).isFalse();
        bot.awaitCount(1, "select count(*) from timeline_event where kind = 'message_captured'");
        assertThat(bot.count("select count(*) from message_capture")).isEqualTo(1);
        assertThat(bot.slack().calls("conversations.history")).hasSize(1);
        // The dropped connection is replaced.
        slack.awaitConnections(2);
        Await.until("the dropped connection replaced", () -> slack.opened() == 3);
        PrometheusText metrics =
                new PrometheusText(bot.get("/metrics", Optional.empty()).body());
        assertThat(metrics.get("firebreak_slack_socket_reconnects_total", Map.of("reason", "dropped")))
                .isEqualTo(1);
        assertThat(metrics.get(
                        "firebreak_slack_socket_envelopes_total", Map.of("type", "events_api", "outcome", "duplicate")))
                .isEqualTo(1);
    }

    @Test
    void refreshRequestedOpensANewConnectionAndLetsTheOldOneGo() {
        List<WebSocket> sockets = slack.connections();
        int calls = SocketModeStandIn.connectionsOpenCalls(bot.slack());

        slack.disconnect(sockets.get(0), "refresh_requested");

        Await.until("a new connection", () -> slack.opened() == 3);
        Await.until("the old connection closed", () -> sockets.get(0).isClosed());
        assertThat(SocketModeStandIn.connectionsOpenCalls(bot.slack())).isEqualTo(calls + 1);
        Await.until("two connections", () -> bot.firebreak().slackState().equals("socket: 2 of 2 connected"));
        assertThat(bot.json(bot.get("/healthz", Optional.empty())).path("slack").asText())
                .isEqualTo("socket: 2 of 2 connected");
        WebSocket fresh = slack.connections().stream()
                .filter(s -> s != sockets.get(1))
                .findFirst()
                .orElseThrow();
        assertThat(command(fresh, "env-after-refresh", "open high Refund agent sent wrong refunds")
                        .path("payload")
                        .path("text")
                        .asText())
                .contains("INC-1");
        PrometheusText metrics =
                new PrometheusText(bot.get("/metrics", Optional.empty()).body());
        assertThat(metrics.get("firebreak_slack_socket_reconnects_total", Map.of("reason", "refresh_requested")))
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"warning", "link_disabled"})
    void slacksOtherDisconnectsAlsoReplaceTheConnection(String reason) {
        List<WebSocket> sockets = slack.connections();

        slack.disconnect(sockets.get(1), reason);

        Await.until("a new connection", () -> slack.opened() == 3);
        Await.until("the old connection closed", () -> sockets.get(1).isClosed());
        Await.until("two connections", () -> bot.firebreak().slackState().equals("socket: 2 of 2 connected"));
        PrometheusText metrics =
                new PrometheusText(bot.get("/metrics", Optional.empty()).body());
        assertThat(metrics.get("firebreak_slack_socket_reconnects_total", Map.of("reason", reason)))
                .isEqualTo(1);
    }

    @Test
    void twoReplicasGivenTheSameEnvelopeHandleItOnceAndAnswerAlike() throws Exception {
        try (TestBot second = bot.replica()) {
            List<WebSocket> sockets = slack.awaitConnections(4);
            String envelope = SocketModeStandIn.slashCommand(
                    "env-both",
                    Fixtures.slashCommand(
                            "/incident", "open high Refund agent sent wrong refunds", TestBot.USER, TestBot.CHANNEL));

            CompletableFuture.allOf(
                            CompletableFuture.runAsync(() -> slack.send(sockets.get(0), envelope)),
                            CompletableFuture.runAsync(() -> slack.send(sockets.get(3), envelope)))
                    .get();

            List<JsonNode> acks = slack.awaitAcks("env-both", 2);
            assertThat(acks.get(0)).isEqualTo(acks.get(1));
            assertThat(acks.get(0).path("payload").path("text").asText()).contains("INC-1");
            assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
            assertThat(bot.count("select count(*) from timeline_event where kind = 'opened'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void shutdownAnswersTheEnvelopesAlreadyTakenBeforeClosingTheSockets() {
        bot.close();
        Await.until("the first bot's sockets closed", () -> slack.connections().isEmpty());
        // A responder group Slack is slow to list: the command waits on it inside its handling, before its ack.
        bot = TestBot.startSocketMode(slack, Map.of("FIREBREAK_RESPONDERS", "S0ONCALL"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/usergroups.users.list")
                        .willReturn(okJson("{\"ok\": true, \"users\": [\"" + TestBot.USER + "\"]}")
                                .withFixedDelay(1500)));
        List<WebSocket> sockets = slack.awaitConnections(2);
        slack.send(
                sockets.get(0),
                SocketModeStandIn.slashCommand(
                        "env-in-flight",
                        Fixtures.slashCommand(
                                "/incident",
                                "open high Refund agent sent wrong refunds",
                                TestBot.USER,
                                TestBot.CHANNEL)));
        Await.until(
                "the command in flight",
                () -> !bot.slack().calls("usergroups.users.list").isEmpty());

        bot.close();

        assertThat(slack.acks("env-in-flight")).hasSize(1);
        assertThat(slack.acks("env-in-flight")
                        .get(0)
                        .path("payload")
                        .path("text")
                        .asText())
                .contains("INC-1");
        assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
        Await.until("the sockets closed", () -> slack.connections().isEmpty());
    }

    @Test
    void aRefusedConnectionIsTriedAgainWithBackoffAndNeitherTokenNorUrlIsLogged() {
        bot.close();
        Await.until("the first bot's sockets closed", () -> slack.connections().isEmpty());
        try (LogCapture logs = LogCapture.capture()) {
            // Slack refuses the first apps.connections.open, then answers as usual.
            bot = TestBot.startSocketMode(
                    slack,
                    Map.of(),
                    stub -> stub.wiremock()
                            .stubFor(post("/api/apps.connections.open")
                                    .inScenario("refused once")
                                    .whenScenarioStateIs(Scenario.STARTED)
                                    .willReturn(okJson("{\"ok\": false, \"error\": \"invalid_auth\"}"))
                                    .willSetStateTo("answered")));

            Await.until(
                    "both connections open", () -> bot.firebreak().slackState().equals("socket: 2 of 2 connected"));

            assertThat(SocketModeStandIn.connectionsOpenCalls(bot.slack())).isEqualTo(3);
            assertThat(logs.everything()).contains("apps.connections.open failed (invalid_auth)");
            assertThat(logs.everything()).doesNotContain(SocketModeStandIn.APP_TOKEN, "planted-ticket");
            PrometheusText metrics =
                    new PrometheusText(bot.get("/metrics", Optional.empty()).body());
            assertThat(metrics.get("firebreak_slack_socket_reconnects_total", Map.of("reason", "open_failed")))
                    .isEqualTo(1);
        }
    }

    @Test
    void aBadAppTokenOrConnectionCountStopsTheBotNamingTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(
                        "SLACK_APP_TOKEN", "xoxb-planted-not-an-app-token", "FIREBREAK_SOCKET_CONNECTIONS", "11")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
                .hasMessageContaining("FIREBREAK_SOCKET_CONNECTIONS must be a whole number of Socket Mode connections")
                .hasMessageNotContaining("xoxb-planted-not-an-app-token");
    }
}
