package io.firebreak.bot.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /signals/{source} end to end, with each sender's documented or captured payloads. */
class SignalsReceiverTest {
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(Alerts.env("FIREBREAK_SIGNAL_DIGEST_INTERVAL", "PT1S"));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private String error(HttpResponse<String> response) {
        return bot.json(response).path("error").asText();
    }

    private String incident(long id, String column) {
        return bot.string("select " + column + "::text from incident where id = ?", id);
    }

    @Test
    void alertmanagersGroupedNotificationIsStoredBeforeTheAnswerAndOpensOneUnassessedIncident() {
        HttpResponse<String> answer =
                Alerts.alertmanager(bot, Alerts.reference("alertmanager/zulip_alert_firing_two_alerts.json"));

        assertThat(answer.statusCode()).isEqualTo(202);
        JsonNode body = bot.json(answer);
        assertThat(body.path("alerts").asInt()).isEqualTo(2);
        assertThat(body.path("new_signals").asInt()).isEqualTo(2);
        assertThat(body.path("incidents").toString()).isEqualTo("[\"INC-1\"]");
        assertThat(bot.count("select count(*) from signal_alert where status = 'firing'"))
                .isEqualTo(2);
        assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
        assertThat(incident(1, "title")).isEqualTo("High CPU Temperature: High CPU core temperature");
        assertThat(incident(1, "severity")).isNull();
        assertThat(incident(1, "source")).isEqualTo("signal");
        assertThat(incident(1, "origin_channel")).isEqualTo("C0TRIAGE01");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'signal_received'"))
                .isEqualTo(2);
        assertThat(
                        bot.string(
                                "select details->>'fingerprint' from timeline_event where kind = 'signal_received' order by seq limit 1"))
                .isEqualTo("a1bc48475b20e73d");

        var notices = bot.slack()
                .awaitCall(
                        "chat.postMessage", c -> String.valueOf(c.get("text")).contains("Alert from `alertmanager`"));
        assertThat(notices.get("text")).contains("High CPU Temperature").contains("severity `critical`");
    }

    @Test
    void aResolvedAlertIsRecordedAndShownButNeverChangesTheIncident() {
        Alerts.alertmanager(bot, Alerts.reference("alertmanager/zulip_alert_firing_two_alerts.json"));
        JobQueue.awaitSettled(bot);

        HttpResponse<String> resolved =
                Alerts.alertmanager(bot, Alerts.reference("alertmanager/zulip_single_alert_resolved.json"));

        assertThat(resolved.statusCode()).isEqualTo(202);
        assertThat(bot.json(resolved).path("resolved").asInt()).isEqualTo(1);
        assertThat(bot.json(resolved).path("new_signals").asInt()).isZero();
        assertThat(bot.count("select count(*) from signal_alert where status = 'resolved'"))
                .isEqualTo(1);
        bot.awaitCount(1, "select count(*) from timeline_event where kind = 'signal_updated'");
        assertThat(bot.string("select details->>'text' from timeline_event where kind = 'signal_updated'"))
                .contains("1 more alert of High CPU Temperature")
                .contains("1 resolved")
                .contains("resolved at the source, the incident stays as it is");
        var notice = bot.slack()
                .awaitCall(
                        "chat.postMessage", c -> String.valueOf(c.get("text")).contains(":bar_chart:"));
        assertThat(notice.get("text")).contains("*resolved* at the source").contains("a responder resolves it");
        JobQueue.awaitSettled(bot);
        assertThat(incident(1, "phase")).isEqualTo("DETECTED");
    }

    @Test
    void aResolvedAlertWithNothingOpenIsStoredAndOpensNothing() {
        HttpResponse<String> answer =
                Alerts.alertmanager(bot, Alerts.reference("alertmanager/zulip_single_alert_resolved.json"));

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(bot.json(answer).path("unmatched").asInt()).isEqualTo(1);
        assertThat(bot.count("select count(*) from signal_alert where signal_id is null"))
                .isEqualTo(1);
        assertThat(bot.count("select count(*) from incident")).isZero();
    }

    @Test
    void anOldAlertmanagerWithoutFingerprintsGroupsFiringAndResolvedByTheirLabels() {
        Alerts.alertmanager(bot, Alerts.reference("alertmanager/alertmanager_bot_firing_wire.json"));
        HttpResponse<String> resolved =
                Alerts.alertmanager(bot, Alerts.reference("alertmanager/alertmanager_bot_resolved_wire.json"));

        assertThat(resolved.statusCode()).isEqualTo(202);
        assertThat(bot.count("select count(*) from signal")).isEqualTo(1);
        assertThat(bot.count("select count(*) from signal_alert where signal_id = 1"))
                .isEqualTo(2);
        assertThat(incident(1, "title")).isEqualTo("Fire: Something is on fire");
    }

    @Test
    void grafanasDocumentedAndCapturedPayloadsAreReadWithTheirSignature() {
        HttpResponse<String> docs =
                Alerts.grafana(bot, Alerts.reference("grafana/grafana_docs_webhook_payload_two_firing.json"));
        assertThat(docs.statusCode()).isEqualTo(202);
        assertThat(bot.json(docs).path("alerts").asInt()).isEqualTo(2);

        HttpResponse<String> mixed =
                Alerts.grafana(bot, Alerts.reference("grafana/zulip_grafana9_firing_with_resolved.json"));
        assertThat(mixed.statusCode()).isEqualTo(202);
        assertThat(bot.json(mixed).path("alerts").asInt()).isEqualTo(3);
        assertThat(bot.json(mixed).path("resolved").asInt()).isEqualTo(2);

        HttpResponse<String> v11 =
                Alerts.grafana(bot, Alerts.reference("grafana/zulip_grafana11_firing_values_image.json"));
        assertThat(v11.statusCode()).isEqualTo(202);
        assertThat(bot.count("select count(*) from signal_alert where source = 'grafana'"))
                .isEqualTo(2 + 3 + bot.json(v11).path("alerts").asInt());
    }

    @Test
    void datadogsRenderedWebhookIsOneAlertWithItsPriority() {
        HttpResponse<String> answer = Alerts.bearer(
                bot, "datadog", Alerts.DD_TOKEN, Alerts.reference("datadog/rendered_monitor_triggered_inres.json"));

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(incident(1, "title")).isEqualTo("High tracking");
        assertThat(bot.string("select severity from signal")).isEqualTo("P1");
        assertThat(bot.string("select fingerprint from signal")).isEqualTo("06ade3da0286048d242ea8e46f521c93");

        String recovered = Alerts.reference("datadog/rendered_monitor_triggered_inres.json")
                .replace("[Triggered] High tracking", "[Recovered] High tracking")
                .replace("\"transition\":\"Triggered\"", "\"transition\":\"Recovered\"");
        Alerts.bearer(bot, "datadog", Alerts.DD_TOKEN, recovered);
        assertThat(bot.count("select count(*) from signal_alert where signal_id = 1 and status = 'resolved'"))
                .isEqualTo(1);
    }

    @Test
    void aGenericSourceIsReadThroughItsMapping() {
        String body = """
                {"events": [
                  {"monitor": {"name": "Faithfulness below 0.7", "id": "mon-42"}, "state": "alerting", "level": "high",
                   "metadata": {"workflow": "refunds", "trace_id": "tr-9f1"}, "tags": ["env:prod", "team:payments"]},
                  {"monitor": {"name": "Faithfulness below 0.7", "id": "mon-42"}, "state": "ok", "level": "high",
                   "metadata": {"workflow": "refunds"}, "tags": ["env:prod"]}]}""";
        HttpResponse<String> answer = Alerts.evals(bot, body, System.currentTimeMillis() / 1000);

        assertThat(answer.statusCode()).isEqualTo(202);
        JsonNode json = bot.json(answer);
        assertThat(json.path("alerts").asInt()).isEqualTo(2);
        assertThat(json.path("resolved").asInt()).isEqualTo(1);
        assertThat(json.path("new_signals").asInt()).isEqualTo(1);
        assertThat(bot.string("select fingerprint from signal")).isEqualTo("mon-42");
        assertThat(bot.string("select workflow from signal")).isEqualTo("refunds");
        assertThat(bot.string("select run_id from signal")).isEqualTo("tr-9f1");
        assertThat(bot.string("select labels->>'team' from signal")).isEqualTo("payments");
        assertThat(bot.string("select severity from signal")).isEqualTo("high");
    }

    @Test
    void theSameSignedDeliveryAgainGetsTheFirstAnswerAndStoresNothing() {
        String body =
                "{\"events\": [{\"monitor\": {\"name\": \"Toxicity\", \"id\": \"m1\"}, \"state\": \"alerting\"}]}";
        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> first = Alerts.evals(bot, body, now);
        HttpResponse<String> again = Alerts.evals(bot, body, now);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(bot.json(again)).isEqualTo(bot.json(first));
        assertThat(bot.count("select count(*) from signal_alert")).isEqualTo(1);
    }

    @Test
    void badSignaturesTokensAndStaleTimestampsAre401AndStoreNothing() {
        String body = Alerts.reference("alertmanager/zulip_alert_firing_two_alerts.json");
        HttpResponse<String> noToken = Alerts.bearer(bot, "alertmanager", null, body);
        HttpResponse<String> wrongToken = Alerts.bearer(bot, "alertmanager", "am-token-planted-wrong-0000", body);
        HttpResponse<String> wrongSignature = bot.send(Alerts.post(bot, "grafana", body)
                .header("X-Grafana-Alerting-Signature", Alerts.hmac("another-secret-0123456789", body))
                .build());
        HttpResponse<String> stale = Alerts.evals(
                bot, "{\"events\": [{\"monitor\": {\"name\": \"x\"}}]}", System.currentTimeMillis() / 1000 - 600);

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(error(noToken)).contains("bearer token");
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.body()).doesNotContain(Alerts.AM_TOKEN);
        assertThat(wrongSignature.statusCode()).isEqualTo(401);
        assertThat(error(wrongSignature)).contains("X-Grafana-Alerting-Signature");
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(error(stale)).contains("stale");
        assertThat(bot.count("select count(*) from signal_alert")).isZero();
    }

    @Test
    void aSourceWhoseSecretIsUnsetNamesTheVariableAndAnUnknownSourceIs404() {
        HttpResponse<String> unset = Alerts.bearer(bot, "unset", "anything-at-all-0123456789", "{}");
        HttpResponse<String> unknown = Alerts.bearer(bot, "prometheus", Alerts.AM_TOKEN, "{}");

        assertThat(unset.statusCode()).isEqualTo(401);
        assertThat(error(unset)).contains("TEST_UNSET_TOKEN");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).contains("alertmanager").contains("evals");
    }

    @Test
    void eachAlertIsStoredAsSentWithValuesNoParserRoundsOrReorders() {
        // A value past a double's precision and escaped text, in the alert that opens the signal (a transaction) and in
        // the one that joins it (the storm's one statement).
        String alert =
                "{\"status\": \"firing\",  \"labels\": {\"alertname\": \"Precise\", \"workflow\": \"wf-precise\"},"
                        + " \"annotations\": {\"summary\": \"caf\\u00e9 \\\"quoted\\\"\"},"
                        + " \"fingerprint\": \"f-precise\", \"value\": 1.00000000000000000001, \"count\": 123456789012345678901234567890}";

        assertThat(Alerts.alertmanager(bot, "{\"alerts\": [" + alert + "]}").statusCode())
                .isEqualTo(202);
        assertThat(Alerts.alertmanager(bot, "{\"version\": \"4\",\n \"alerts\": [ " + alert + " ]}")
                        .statusCode())
                .isEqualTo(202);

        assertThat(bot.count("select count(*) from signal_alert where fingerprint = 'f-precise'"))
                .isEqualTo(2);
        assertThat(bot.count("select count(distinct signal_id) from signal_alert where fingerprint = 'f-precise'"))
                .isEqualTo(1);
        assertThat(bot.count("select count(*) from signal_alert where fingerprint = 'f-precise'"
                        + " and payload->>'value' = '1.00000000000000000001'"
                        + " and payload->>'count' = '123456789012345678901234567890'"
                        + " and payload->'annotations'->>'summary' = 'caf\u00e9 \"quoted\"'"))
                .isEqualTo(2);
    }

    @Test
    void oversizeAndMalformedBodiesGetClearAnswersNamingTheField() {
        HttpResponse<String> oversize = Alerts.alertmanager(bot, "{\"alerts\": \"" + "x".repeat(1024 * 1024) + "\"}");
        HttpResponse<String> notJson = Alerts.alertmanager(bot, "{\"alerts\": [");
        HttpResponse<String> noAlerts = Alerts.alertmanager(bot, "{\"version\": \"4\"}");
        HttpResponse<String> badAlert = Alerts.alertmanager(
                bot,
                "{\"alerts\": [{\"status\": \"burning\", \"labels\": {\"alertname\": \"X\"}}, {\"status\": \"firing\", \"labels\": 3}]}");

        assertThat(oversize.statusCode()).isEqualTo(413);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(bot.json(notJson).path("problems").get(0).path("field").asText())
                .isEqualTo("(body)");
        assertThat(noAlerts.statusCode()).isEqualTo(400);
        assertThat(bot.json(noAlerts).path("problems").get(0).path("field").asText())
                .isEqualTo("alerts");
        assertThat(badAlert.statusCode()).isEqualTo(400);
        assertThat(bot.json(badAlert).path("problems").toString())
                .contains("alerts[0].status")
                .contains("must be firing or resolved")
                .contains("alerts[1].labels");
        assertThat(bot.count("select count(*) from signal_alert")).isZero();
    }

    @Test
    void aSourceOverItsRateGets429WithRetryAfterAndNothingStored() {
        String body = Alerts.reference("alertmanager/alertmanager_bot_firing_wire.json");
        Alerts.bearer(bot, "slow", Alerts.AM_TOKEN, body);
        Alerts.bearer(bot, "slow", Alerts.AM_TOKEN, body);
        HttpResponse<String> third = Alerts.bearer(bot, "slow", Alerts.AM_TOKEN, body);

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(bot.count("select count(*) from signal_alert where source = 'slow'"))
                .isEqualTo(2);
    }

    @Test
    void aRunNamedByAnAlertIsAttachedAndJoinsTheIncidentOfAReportAboutIt() {
        try (TestBot withLangfuse = TestBot.start(Alerts.env(
                "FIREBREAK_INTAKE_SECRET",
                TestBot.INTAKE_SECRET,
                "LANGFUSE_HOST",
                "http://127.0.0.1:" + TestBot.freePort(),
                "LANGFUSE_PUBLIC_KEY",
                "pk-lf-planted",
                "LANGFUSE_SECRET_KEY",
                "sk-lf-planted"))) {
            withLangfuse.report("{\"description\":\"wrong refund\",\"run_id\":\"tr-9f1\",\"form\":\"f\"}");
            String body =
                    "{\"events\": [{\"monitor\": {\"name\": \"Faithfulness\", \"id\": \"m2\"}, \"state\": \"alerting\","
                            + " \"metadata\": {\"trace_id\": \"tr-9f1\"}}]}";
            HttpResponse<String> answer = Alerts.evals(withLangfuse, body, System.currentTimeMillis() / 1000);

            assertThat(withLangfuse.json(answer).path("incidents").toString()).isEqualTo("[\"INC-1\"]");
            assertThat(withLangfuse.count("select count(*) from incident")).isEqualTo(1);
            assertThat(withLangfuse.count("select count(*) from run_attachment where run_id = 'tr-9f1'"))
                    .isEqualTo(1);
        }
        try (TestBot withLangfuse = TestBot.start(Alerts.env(
                "LANGFUSE_HOST", "http://127.0.0.1:" + TestBot.freePort(),
                "LANGFUSE_PUBLIC_KEY", "pk-lf-planted",
                "LANGFUSE_SECRET_KEY", "sk-lf-planted"))) {
            String body =
                    "{\"events\": [{\"monitor\": {\"name\": \"Faithfulness\", \"id\": \"m2\"}, \"state\": \"alerting\","
                            + " \"metadata\": {\"trace_id\": \"tr-77\"}}]}";
            Alerts.evals(withLangfuse, body, System.currentTimeMillis() / 1000);
            assertThat(withLangfuse.count("select count(*) from run_attachment where run_id = 'tr-77'"))
                    .isEqualTo(1);
            assertThat(withLangfuse.count("select count(*) from timeline_event where kind = 'run_attached'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void theCardShowsTheSignalWithItsCount() {
        Alerts.alertmanager(bot, Alerts.alertmanagerStorm("AgentToolErrorRate", "refunds", 0, 3));
        var card = bot.slack()
                .awaitCall(
                        "chat.postMessage", c -> String.valueOf(c.get("blocks")).contains("*Alerts*"));
        assertThat(card.get("blocks"))
                .contains("AgentToolErrorRate")
                .contains("3 alerts")
                .contains("SIG-1");
        assertThat(Map.of()).isEmpty();
    }
}
