package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.incident.slack.IncidentCommands;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, end to end: a replica is warm when it says it is ready and serves the first burst; a request that cannot be
 * served within its budget is told the truth (busy and nothing written, or may have been saved); a retried open hands
 * back the incident it made, with a button to open another anyway.
 */
class ReadyMeansReadyTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void aBurstOfFortyOpensAtOnceRightAfterStartIsStoredAndAnsweredInFull() throws Exception {
        try (TestBot bot = TestBot.start()) {
            List<HttpResponse<String>> answers =
                    concurrently(40, i -> bot.command("open high Agent answered with a retired policy, report " + i));

            assertThat(answers).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(bot.text(r)).contains("Opened *INC-");
            });
            assertThat(answers.stream()
                            .map(r -> bot.text(r).replaceAll("(?s).*\\*(INC-\\d+)\\*.*", "$1"))
                            .distinct())
                    .hasSize(40);
            assertThat(bot.count("select count(*) from incident")).isEqualTo(40);
            assertThat(bot.count("select count(*) from timeline_event where kind = 'opened'"))
                    .isEqualTo(40);
        }
    }

    @Test
    void healthzSaysWarmingUpUntilThePoolIsOpenAndThePathsHaveRun() {
        try (TestBot bot = TestBot.launch(Map.of(), Duration.ofMillis(200))) {
            List<String> seen = new ArrayList<>();
            HttpResponse<String> health = bot.get("/healthz", Optional.empty());
            long until = System.currentTimeMillis() + 60_000;
            while (health.statusCode() != 200 && System.currentTimeMillis() < until) {
                seen.add(health.statusCode() + " "
                        + bot.json(health).path("reason").asText());
                SlackApiStub.sleep(5);
                health = bot.get("/healthz", Optional.empty());
            }

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(seen).contains("503 warming up");
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");
        }
    }

    @Test
    void theWarmUpWritesNothingAndCallsNoSlack() {
        try (TestBot bot = TestBot.start()) {
            assertThat(bot.count("select count(*) from incident")).isZero();
            assertThat(bot.count("select count(*) from timeline_event")).isZero();
            assertThat(bot.count("select count(*) from scheduled_tasks where task_name = 'incident-card'"))
                    .isZero();
            assertThat(bot.slack().wiremock().getAllServeEvents()).isEmpty();

            // No incident number was used up: the first real one is INC-1.
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("Opened *INC-1*");
        }
    }

    @Test
    void aPoolWithNoConnectionFreeInTimeAnswersBusyAndWritesNothing() throws Exception {
        try (TestBot bot = TestBot.start(Map.of("FIREBREAK_REQUEST_BUDGET", "PT0.5S"))) {
            List<Connection> held = new ArrayList<>();
            HttpResponse<String> answer;
            long start = System.nanoTime();
            try {

                for (int i = 0; i < bot.firebreak().database().poolSize(); i++) {
                    held.add(bot.firebreak().database().dataSource().getConnection());
                }
                answer = bot.command("open high Refund agent sent wrong refunds");
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(bot.text(answer))
                    .contains("Firebreak is busy: your incident was not opened")
                    .doesNotContain("Storage is unavailable");
            assertThat(took).isLessThan(Duration.ofMillis(2500));
            SlackApiStub.sleep(300);
            assertThat(bot.count("select count(*) from incident")).isZero();
            assertThat(bot.count("select count(*) from timeline_event")).isZero();
            assertThat(bot.get("/metrics", Optional.empty()).body())
                    .contains("firebreak_db_connection_wait_seconds_count");

            // Free again, the same command opens INC-1: nothing was half-written before.
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("Opened *INC-1*");
        }
    }

    @Test
    void anOpenStillWritingAtItsDeadlineIsToldItMayHaveBeenSaved() throws Exception {
        try (TestBot bot = TestBot.start(Map.of("FIREBREAK_REQUEST_BUDGET", "PT2S"));
                Handle lock = bot.db().open()) {
            // Inserts into incident wait for this lock (reads do not): the open's write is in flight at its deadline.
            // Its lock_timeout (2 s from the insert) always comes after the deadline (2 s from the request's arrival).
            lock.begin();
            lock.execute("lock table incident in exclusive mode");
            CompletableFuture<HttpResponse<String>> sent =
                    CompletableFuture.supplyAsync(() -> bot.command("open high Refund agent sent wrong refunds"));
            HttpResponse<String> answer = sent.get();
            lock.commit();

            assertThat(bot.text(answer))
                    .contains("may have been saved")
                    .contains("/incident list")
                    .doesNotContain("Storage is unavailable");
            // And it was: the write went through once the lock was released.
            bot.awaitCount(1, "select count(*) from incident");
            assertThat(bot.get("/metrics", Optional.empty()).body())
                    .contains("firebreak_slack_past_budget_total{kind=\"command\",outcome=\"maybe_saved\"} 1.0");
        }
    }

    @Test
    void aRetriedOpenGetsTheFirstIncidentBackAndCanOpenAnotherAnyway() {
        try (TestBot bot = TestBot.start()) {
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("Opened *INC-1*");
            HttpResponse<String> retry = bot.command("open high  refund agent SENT wrong refunds ");

            assertThat(bot.text(retry)).contains("Already opened as *INC-1*");
            assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
            JsonNode button =
                    bot.json(retry).path("blocks").get(1).path("elements").get(0);
            assertThat(button.path("text").path("text").asText()).isEqualTo("Open another anyway");
            assertThat(button.path("action_id").asText()).isEqualTo(IncidentCommands.OPEN_ANYWAY);

            // Someone else with the same title opens their own.
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds", "U024BE7LH", TestBot.CHANNEL)))
                    .contains("Opened *INC-2*");

            HttpResponse<String> click = bot.postSigned(
                    SlackPayloads.button(
                            IncidentCommands.OPEN_ANYWAY,
                            button.path("value").asText(),
                            TestBot.USER,
                            bot.slack().responseUrl("anyway")),
                    FORM);
            assertThat(click.statusCode()).isEqualTo(200);
            assertThat(bot.slack().awaitResponseTexts("anyway", 1).get(0)).contains("Opened *INC-3*");
            assertThat(bot.string("select title from incident where id = 3"))
                    .isEqualTo("Refund agent sent wrong refunds");
            assertThat(bot.string("select severity from incident where id = 3")).isEqualTo("HIGH");
            assertThat(bot.string("select reporter from incident where id = 3")).isEqualTo(TestBot.USER);
        }
    }

    private static List<HttpResponse<String>> concurrently(
            int n, java.util.function.IntFunction<HttpResponse<String>> send) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                sent.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return send.apply(k);
                        },
                        pool));
            }
            go.countDown();
            List<HttpResponse<String>> all = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                all.add(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
