package io.firebreak.bot.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Budget;
import io.firebreak.storage.Database;
import io.firebreak.storage.DatabaseUrl;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Severity;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decisions behind issue 22 on a real PostgreSQL: a retried open hands back the incident it made, once even when
 * the retries race; a rehearsal writes nothing; and a pool with no connection free within a request's budget is busy,
 * not down.
 */
class OpenOnceTest {
    private static final String USER = "U2CERLKJA";

    private final ObjectMapper mapper = new ObjectMapper();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T09:00:00Z"));
    private DatabaseUrl url;
    private Database database;
    private Storage storage;
    private IncidentService incidents;
    private Jdbi db;

    @BeforeEach
    void start() {
        url = SharedPostgres.freshDatabase();
        database = Database.open(url, Optional.empty(), Duration.ofSeconds(2), 2);
        database.migrate();
        storage = new Storage(database.jdbi(), database.budgets(), mapper, clock);
        incidents = new IncidentService(storage, mapper, () -> {}, Responders.everyone());
        db = Jdbi.create(url.jdbcUrl());
    }

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void theSamePersonAndTitleWithinThirtySecondsIsHandedTheFirstIncidentBack() {
        IncidentService.Opened first = incidents.openOnce(open("Refund agent sent wrong refunds", USER));
        clock.advance(Duration.ofSeconds(20));
        IncidentService.Opened retry = incidents.openOnce(open("  refund AGENT   sent wrong refunds ", USER));

        assertThat(first.existing()).isFalse();
        assertThat(retry.existing()).isTrue();
        assertThat(retry.incident().key()).isEqualTo(first.incident().key());
        assertThat(count("select count(*) from incident")).isEqualTo(1);
        assertThat(count("select count(*) from timeline_event")).isEqualTo(1);
    }

    @Test
    void anotherPersonAnotherTitleOrLaterOpensANewIncident() {
        incidents.openOnce(open("Refund agent sent wrong refunds", USER));

        assertThat(incidents
                        .openOnce(open("Refund agent sent wrong refunds", "U024BE7LH"))
                        .existing())
                .isFalse();
        assertThat(incidents
                        .openOnce(open("Refund agent sent wrong refunds twice", USER))
                        .existing())
                .isFalse();
        clock.advance(Duration.ofSeconds(31));
        assertThat(incidents
                        .openOnce(open("Refund agent sent wrong refunds", USER))
                        .existing())
                .isFalse();
        assertThat(count("select count(*) from incident")).isEqualTo(4);
    }

    @Test
    void retriesRacingEachOtherOpenOneIncident() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<IncidentService.Opened>> racing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return incidents.openOnce(open("Refund agent sent wrong refunds", USER));
            }));
        }
        go.countDown();
        List<IncidentService.Opened> all = new ArrayList<>();
        for (CompletableFuture<IncidentService.Opened> f : racing) {
            all.add(f.get());
        }

        assertThat(all).filteredOn(o -> !o.existing()).hasSize(1);
        assertThat(all.stream().map(o -> o.incident().key()).distinct()).hasSize(1);
        assertThat(count("select count(*) from incident")).isEqualTo(1);
    }

    @Test
    void aRehearsedOpenWritesNothingAndUsesUpNoIncidentNumber() {
        String title = storage.rehearse(() -> storage.inTransaction(
                tx -> incidents.open(tx, open("Firebreak warm-up", USER)).title()));

        assertThat(title).isEqualTo("Firebreak warm-up");
        assertThat(count("select count(*) from incident")).isZero();
        assertThat(count("select count(*) from timeline_event")).isZero();
        assertThat(count("select count(*) from scheduled_tasks")).isZero();
        assertThat(incidents
                        .open(open("Refund agent sent wrong refunds", USER))
                        .key()
                        .toString())
                .isEqualTo("INC-1");
        assertThat(count("select count(*) from scheduled_tasks")).isEqualTo(1);
    }

    @Test
    void noConnectionFreeWithinTheBudgetIsBusyNotUnavailableAndWritesNothing() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < database.poolSize(); i++) {
                held.add(database.dataSource().getConnection());
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> database.budgets()
                            .within(
                                    Budget.of(System.nanoTime(), Duration.ofMillis(300)),
                                    () -> incidents.open(open("Refund agent sent wrong refunds", USER))))
                    .satisfies(e -> {
                        assertThat(Database.isBusy(e)).isTrue();
                        assertThat(Database.isUnavailable(e)).isFalse();
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertThat(count("select count(*) from incident")).isZero();
    }

    @Test
    void aBudgetThatExpiredRefusesToWrite() {
        Budget budget = Budget.of(System.nanoTime(), Duration.ofSeconds(10));
        assertThat(budget.expire()).isFalse();

        assertThatThrownBy(() -> database.budgets()
                        .within(budget, () -> incidents.open(open("Refund agent sent wrong refunds", USER))))
                .satisfies(e -> assertThat(Database.isBusy(e)).isTrue());
        assertThat(count("select count(*) from incident")).isZero();
    }

    private static IncidentService.OpenRequest open(String title, String user) {
        return new IncidentService.OpenRequest(
                title, Optional.of(Severity.HIGH), user, user, Optional.of("C0CHANNEL1"), "slash-command", false);
    }

    private long count(String sql) {
        return db.withHandle(h -> h.select(sql).mapTo(Long.class).one());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
