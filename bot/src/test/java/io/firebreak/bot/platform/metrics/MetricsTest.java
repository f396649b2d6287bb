package io.firebreak.bot.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firebreak.bot.platform.config.ConfigException;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.PrometheusText;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.bot.web.MetricsServlet;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on a real bot: what a Prometheus scrape sees after real, signed Slack traffic. */
class MetricsTest {
    static final String FORM = "application/x-www-form-urlencoded";

    static PrometheusText scrape(TestBot bot) {
        HttpResponse<String> response = bot.get("/metrics", Optional.empty());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(MetricsServlet.CONTENT_TYPE);
        return new PrometheusText(response.body());
    }

    @Test
    void slackRequestsAreTimedByKindAndCommandAndTheirAcksAgainstSlacksThreeSeconds() {
        try (TestBot bot = TestBot.start()) {
            bot.command("open high Refund agent sent wrong refunds");
            bot.command("note INC-1 refunds paused by hand");
            bot.command("note INC-1 finance told");
            bot.command("opne typo");
            bot.command("");
            bot.postSigned(
                    SlackPayloads.button(
                            "incident_resolve",
                            "INC-1",
                            TestBot.USER,
                            bot.slack().responseUrl("r")),
                    FORM);
            SlackRequests.event(bot, SlackRequests.appHomeOpened("Ev0METRICS01", TestBot.USER, "home"));
            long now = System.currentTimeMillis() / 1000;
            HttpResponse<String> forged = bot.postToSlackEvents(
                    Fixtures.slashCommand("/incident", "open high forged-label", TestBot.USER, TestBot.CHANNEL),
                    FORM,
                    now,
                    "v0=" + "0".repeat(64));
            assertThat(forged.statusCode()).isEqualTo(401);

            PrometheusText metrics = scrape(bot);

            String latency = "firebreak_slack_request_seconds_count";
            assertThat(metrics.get(latency, Map.of("kind", "command", "command", "open", "status", "200")))
                    .isEqualTo(1);
            assertThat(metrics.get(latency, Map.of("kind", "command", "command", "note", "status", "200")))
                    .isEqualTo(2);
            assertThat(metrics.get(latency, Map.of("kind", "command", "command", "unknown", "status", "200")))
                    .isEqualTo(1);
            assertThat(metrics.get(latency, Map.of("kind", "command", "command", "help", "status", "200")))
                    .isEqualTo(1);
            assertThat(metrics.get(
                            latency, Map.of("kind", "block_actions", "command", "incident_resolve", "status", "200")))
                    .isEqualTo(1);
            assertThat(metrics.get(
                            latency, Map.of("kind", "event_callback", "command", "app_home_opened", "status", "200")))
                    .isEqualTo(1);
            // A request Slack did not sign names no label: only Slack decides which commands exist.
            assertThat(metrics.get(latency, Map.of("kind", "command", "status", "401")))
                    .isEqualTo(1);
            assertThat(metrics.get(latency, Map.of("kind", "command", "command", Metrics.NONE, "status", "401")))
                    .isEqualTo(1);
            assertThat(metrics.all(latency, Map.of("command", "forged-label"))).isEmpty();
            assertThat(metrics.get(
                            "firebreak_slack_request_seconds_sum",
                            Map.of("kind", "command", "command", "open", "status", "200")))
                    .isGreaterThan(0)
                    .isLessThan(3);

            assertThat(metrics.get("firebreak_slack_ack_seconds_count", Map.of("kind", "command")))
                    .isEqualTo(6);
            assertThat(metrics.get("firebreak_slack_ack_seconds_bucket", Map.of("kind", "command", "le", "3.0")))
                    .isEqualTo(6);
            assertThat(metrics.get("firebreak_slack_late_acks_total", Map.of("kind", "command")))
                    .isZero();
            assertThat(metrics.get("firebreak_slack_ack_seconds_count", Map.of("kind", "block_actions")))
                    .isEqualTo(1);
            // Eden alone can read 0 right after a young collection; the heap as a whole never does.
            assertThat(metrics.all("jvm_memory_used_bytes", Map.of("area", "heap")).stream()
                            .mapToDouble(PrometheusText.Sample::value)
                            .sum())
                    .isPositive();
        }
    }

    @Test
    void theJobQueueAndOpenIncidentsAreReadFromTheDatabase() {
        try (TestBot bot = TestBot.start()) {
            bot.command("open high Refund agent sent wrong refunds");
            bot.command("open high Agent emailed the wrong customer");
            bot.command("open low Typo in a drafted answer");
            bot.command("open Support widget report");
            bot.command("status INC-3 resolved");
            // Closing needs the postmortem's follow-ups (CloseGateTest); here only the gauge's reading of CLOSED
            // matters.
            bot.db().useHandle(h -> h.execute("update incident set phase = 'CLOSED' where id = 3"));
            bot.awaitCount(0, "select count(*) from scheduled_tasks");
            Instant now = Instant.now();
            // Jobs of a task this bot does not run: one due a minute ago that nobody claims, one due tomorrow.
            bot.db().useHandle(h -> {
                h.execute(
                        "insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version) values ('elsewhere', '1', ?, false, 1)",
                        now.minus(60, ChronoUnit.SECONDS));
                h.execute(
                        "insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version) values ('elsewhere', '2', ?, false, 1)",
                        now.plus(1, ChronoUnit.DAYS));
            });

            // Gauges outlive a garbage collection (Micrometer holds their objects weakly unless told otherwise).
            System.gc();
            PrometheusText metrics = scrape(bot);

            assertThat(metrics.get("firebreak_jobs_queued", Map.of())).isEqualTo(2);
            assertThat(metrics.get("firebreak_jobs_oldest_due_age_seconds", Map.of()))
                    .isBetween(59.0, 120.0);
            assertThat(metrics.get("firebreak_incidents_open", Map.of("severity", "HIGH")))
                    .isEqualTo(2);
            assertThat(metrics.get("firebreak_incidents_open", Map.of("severity", "LOW")))
                    .isZero();
            assertThat(metrics.get("firebreak_incidents_open", Map.of("severity", "NOT_ASSESSED")))
                    .isEqualTo(1);
            assertThat(metrics.get("firebreak_incidents_open", Map.of("severity", "CRITICAL")))
                    .isZero();
            assertThat(metrics.get(
                            "firebreak_jobs_run_seconds_count", Map.of("task", "incident-card", "outcome", "done")))
                    .isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void containmentAndEvidenceCountersAreThereForTheirFeatures() {
        try (Metrics metrics = new Metrics()) {
            metrics.containmentFired("pause-workflow");
            metrics.containmentFired("pause-workflow");
            metrics.containmentSucceeded("pause-workflow");
            metrics.containmentFired("disable-write-tools");
            metrics.containmentFailed("disable-write-tools");
            metrics.evidenceFetch("langfuse", "complete");
            metrics.evidenceFetch("langsmith", "failed");

            PrometheusText scraped = new PrometheusText(metrics.scrape());

            String actions = "firebreak_containment_actions_total";
            assertThat(scraped.get(actions, Map.of("action", "pause-workflow", "outcome", "fired")))
                    .isEqualTo(2);
            assertThat(scraped.get(actions, Map.of("action", "pause-workflow", "outcome", "succeeded")))
                    .isEqualTo(1);
            assertThat(scraped.value(actions, Map.of("action", "pause-workflow", "outcome", "failed")))
                    .isEmpty();
            assertThat(scraped.get(actions, Map.of("action", "disable-write-tools", "outcome", "failed")))
                    .isEqualTo(1);
            assertThat(scraped.get(
                            "firebreak_evidence_fetches_total", Map.of("source", "langfuse", "outcome", "complete")))
                    .isEqualTo(1);
            assertThat(scraped.get(
                            "firebreak_evidence_fetches_total", Map.of("source", "langsmith", "outcome", "failed")))
                    .isEqualTo(1);
        }
    }

    @Test
    void labelValuesStayBoundedWhateverTheInput() {
        try (Metrics metrics = new Metrics()) {
            for (int i = 0; i < Metrics.MAX_VALUES_PER_LABEL + 50; i++) {
                metrics.containmentFired("action-" + i);
            }
            metrics.containmentFired("rm -rf / ; drop table");
            metrics.containmentFired(null);

            PrometheusText scraped = new PrometheusText(metrics.scrape());

            var fired = scraped.all("firebreak_containment_actions_total", Map.of("outcome", "fired"));
            assertThat(fired).hasSize(Metrics.MAX_VALUES_PER_LABEL + 2);
            assertThat(scraped.get("firebreak_containment_actions_total", Map.of("action", Metrics.OTHER)))
                    .isEqualTo(51);
            assertThat(scraped.get("firebreak_containment_actions_total", Map.of("action", Metrics.NONE)))
                    .isEqualTo(1);
        }
    }

    @Test
    void withAMetricsTokenOnlyABearerOfItIsServedAndTheStartSaysWhich() {
        String token = "metrics-token-planted-0123456789";
        try (LogCapture logs = LogCapture.capture();
                TestBot bot = TestBot.start(Map.of("FIREBREAK_METRICS_TOKEN", token))) {
            HttpResponse<String> none = bot.get("/metrics", Optional.empty());
            HttpResponse<String> wrong = bot.get("/metrics", Optional.of("metrics-token-planted-0123456788"));
            HttpResponse<String> right = bot.get("/metrics", Optional.of(token));

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).contains("json"));
            assertThat(bot.json(none).path("error").asText()).contains("Bearer");
            assertThat(none.body()).doesNotContain("firebreak_").doesNotContain(token);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("firebreak_jobs_queued");
            assertThat(logs.linesContaining("/metrics asks for FIREBREAK_METRICS_TOKEN"))
                    .isNotEmpty();
            assertThat(logs.everything()).doesNotContain(token);
        }
    }

    @Test
    void withoutAMetricsTokenMetricsIsOpenAndTheStartSaysSo() {
        try (LogCapture logs = LogCapture.capture();
                TestBot bot = TestBot.start()) {
            assertThat(bot.get("/metrics", Optional.empty()).statusCode()).isEqualTo(200);
            assertThat(logs.linesContaining("FIREBREAK_METRICS_TOKEN is not set: /metrics is open"))
                    .isNotEmpty();
        }
    }

    @Test
    void aTooShortMetricsTokenStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("FIREBREAK_METRICS_TOKEN", "short-planted")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FIREBREAK_METRICS_TOKEN must be at least 16 characters long")
                .hasMessageNotContaining("short-planted");
    }
}
