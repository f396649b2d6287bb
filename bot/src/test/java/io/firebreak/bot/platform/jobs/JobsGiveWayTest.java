package io.firebreak.bot.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.jobs.JobQueueDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Card updates and notices give way to a burst of Slack requests and catch up after it: none runs while the burst goes
 * on (for a while), none is lost or waits for ever, and containment calls ({@code URGENT}) never wait.
 */
class JobsGiveWayTest {
    private static final String CARD = "test-card";
    private static final String CONTAIN = "test-contain";
    private static final int CARDS = 30;

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final AtomicBoolean burst = new AtomicBoolean();
    private Database database;
    private Storage storage;
    private Jobs jobs;
    private Thread requests;
    private Foreground foreground;

    @BeforeEach
    void connect() {
        database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5));
        storage = new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws InterruptedException {
        burst.set(false);
        if (requests != null) {
            requests.join();
        }
        jobs.close();
        database.close();
    }

    @Test
    void cardUpdatesWaitOutABurstOfRequestsThenEveryOneRuns() throws Exception {
        start(Duration.ofSeconds(2));
        startBurst();
        enqueueCards();
        Thread.sleep(500);
        assertThat(ran).as("nothing ran in the burst's first half second").isEmpty();

        // The two card updates waiting on the job threads hold them for at most the longest deferral; then the
        // containment call is the next job to run.
        storage.inTransaction(tx -> tx.jobs().enqueue(CONTAIN, "pause-workflow", Instant.now(), JobQueueDao.URGENT));
        jobs.wake();
        Await.until("the containment call", () -> ran.contains("pause-workflow"));
        assertThat(ran.indexOf("pause-workflow"))
                .as("position of the containment call in " + ran)
                .isLessThanOrEqualTo(2);

        burst.set(false);
        Await.until("every card update", () -> ran.size() == CARDS + 1);
        assertThat(ran).hasSize(CARDS + 1).doesNotHaveDuplicates();
        Await.until(
                "the job table to empty",
                () -> storage.inTransaction(tx -> tx.jobs().depth()) == 0);
    }

    @Test
    void aBurstThatNeverEndsStillLetsEveryCardUpdateRunAfterAtMostTheLongestDeferral() throws Exception {
        start(Duration.ofMillis(200));
        startBurst();
        enqueueCards();

        Await.until("every card update", () -> ran.size() == CARDS);
        assertThat(ran).hasSize(CARDS).doesNotHaveDuplicates();
        assertThat(burst).as("the burst was still on").isTrue();
    }

    @Test
    void withoutABurstNothingWaits() throws Exception {
        start(Duration.ofSeconds(30));
        enqueueCards();

        Await.until("every card update", () -> ran.size() == CARDS);
        assertThat(ran).hasSize(CARDS);
    }

    private void start(Duration maxDefer) {
        // A long hold, so a burst thread that a loaded machine leaves waiting for a core still counts as a burst.
        foreground = new Foreground(1, Duration.ofMillis(500), maxDefer, System::nanoTime);
        jobs = new Jobs(database.dataSource(), Clock.systemUTC(), 2, new Metrics(), foreground);
        jobs.start(List.of(new Job(CARD, ran::add), new Job(CONTAIN, ran::add)));
        requests = new Thread(
                () -> {
                    while (burst.get()) {
                        try (Foreground.Scope request = foreground.enter()) {
                            pause(2);
                        }
                    }
                },
                "requests");
    }

    private void startBurst() {
        burst.set(true);
        requests.start();
        Await.until("the burst to begin", foreground::busy);
    }

    private void enqueueCards() {
        Instant due = Instant.now();
        storage.inTransaction(tx -> {
            for (int i = 1; i <= CARDS; i++) {
                tx.jobs().enqueue(CARD, "card-" + i, due);
            }
            return null;
        });
        jobs.wake();
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
