package io.firebreak.bot.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** An alert storm is one incident with a count: bounded timeline entries and Slack messages, every alert stored. */
class SignalStormTest {

    @Test
    void aThousandAlertsForOneWorkflowOverEightConnectionsAreOneIncidentWithACount() throws Exception {
        try (TestBot bot = TestBot.start(Alerts.env("FIREBREAK_SIGNAL_DIGEST_INTERVAL", "PT1S"))) {
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int from = i * 2;
                answers.add(pool.submit(() ->
                        Alerts.alertmanager(bot, Alerts.alertmanagerStorm("AgentToolErrorRate", "refunds", from, 2))));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(202);
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(bot.count("select count(*) from signal_alert")).isEqualTo(1000);
            assertThat(bot.count("select count(*) from signal")).isEqualTo(1);
            assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
            bot.awaitCount(1000, "select digested_alerts from signal");
            JobQueue.awaitSettled(bot);

            // One entry for the first alert, then at most one count per second of storm (and one after it).
            long bound = 2 + (long) Math.ceil(seconds);
            assertThat(bot.count("select count(*) from timeline_event where kind = 'signal_received'"))
                    .isEqualTo(1);
            assertThat(bot.count("select count(*) from timeline_event where kind = 'signal_updated'"))
                    .isBetween(1L, bound);
            assertThat(bot.count("select count(*) from timeline_event")).isLessThan(10 + bound);
            long messages = bot.slack().calls("chat.postMessage").stream()
                    .filter(c -> String.valueOf(c.get("text")).contains("AgentToolErrorRate"))
                    .count();
            assertThat(messages).isBetween(2L, 1 + bound);
            assertThat(
                            bot.string(
                                    "select details->>'alerts' from timeline_event where kind = 'signal_updated' order by seq desc limit 1"))
                    .isEqualTo("1000");
        }
    }

    @Test
    void aStormOfOneAlertNotificationsRacingTheFirstIsOneSignalAndEachAnswerNamesIt() throws Exception {
        try (TestBot bot = TestBot.start(Alerts.env("FIREBREAK_SIGNAL_DIGEST_INTERVAL", "PT1S"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int from = i;
                answers.add(pool.submit(() ->
                        Alerts.alertmanager(bot, Alerts.alertmanagerStorm("AgentToolErrorRate", "refunds", from, 1))));
            }
            int newSignals = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).isEqualTo(202);
                assertThat(bot.json(response).path("signals").toString()).isEqualTo("[\"SIG-1\"]");
                assertThat(bot.json(response).path("incidents").toString()).isEqualTo("[\"INC-1\"]");
                newSignals += bot.json(response).path("new_signals").asInt();
            }
            pool.shutdown();

            assertThat(newSignals).isEqualTo(1);
            assertThat(bot.count("select count(*) from signal_alert where signal_id = 1"))
                    .isEqualTo(400);
            assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
            assertThat(bot.count("select coalesce(sum(requests), 0) from signal_rate where source = 'alertmanager'"))
                    .isEqualTo(400);
            bot.awaitCount(400, "select digested_alerts from signal");
            JobQueue.awaitSettled(bot);
            assertThat(
                            bot.string(
                                    "select details->>'alerts' from timeline_event where kind = 'signal_updated' order by seq desc limit 1"))
                    .isEqualTo("400");
        }
    }
}
