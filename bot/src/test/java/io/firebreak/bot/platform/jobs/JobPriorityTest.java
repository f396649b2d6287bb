package io.firebreak.bot.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.jobs.JobQueueDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Due jobs run highest priority first: a containment call enqueued behind a backlog of card updates is the next job
 * to run, not the last.
 */
class JobPriorityTest {
    private static final String CARD = "test-card";
    private static final String CONTAIN = "test-contain";

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstCardRunning = new CountDownLatch(1);
    private final CountDownLatch allRan = new CountDownLatch(7);
    private Database database;
    private Storage storage;
    private Jobs jobs;

    @BeforeEach
    void start() {
        database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5));
        storage = new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC());
        jobs = new Jobs(database.dataSource(), Clock.systemUTC(), 1, new Metrics());
        jobs.start(List.of(
                new Job(CARD, instance -> {
                    ran.add(instance);
                    firstCardRunning.countDown();
                    // Long enough that enqueueing the containment call on a loaded machine happens while one card runs.
                    pause(400);
                    allRan.countDown();
                }),
                new Job(CONTAIN, instance -> {
                    ran.add(instance);
                    allRan.countDown();
                })));
    }

    @AfterEach
    void stop() {
        jobs.close();
        database.close();
    }

    @Test
    void aContainmentCallEnqueuedBehindCardUpdatesRunsNext() throws Exception {
        Instant due = Instant.now().minusSeconds(1);
        storage.inTransaction(tx -> {
            for (int i = 1; i <= 6; i++) {
                tx.jobs().enqueue(CARD, "card-" + i, due.plusMillis(i));
            }
            return null;
        });
        jobs.wake();
        assertThat(firstCardRunning.await(10, TimeUnit.SECONDS))
                .as("the first card update started")
                .isTrue();

        storage.inTransaction(tx -> tx.jobs().enqueue(CONTAIN, "pause-workflow", Instant.now(), JobQueueDao.URGENT));
        jobs.wake();

        assertThat(allRan.await(20, TimeUnit.SECONDS)).as("every job ran").isTrue();
        assertThat(ran.indexOf("pause-workflow"))
                .as("position of the containment call in " + ran)
                .isLessThanOrEqualTo(2);
        assertThat(ran.subList(ran.indexOf("pause-workflow") + 1, ran.size())).allMatch(job -> job.startsWith("card-"));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
