package io.firebreak.bot.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.capture.CaptureService.CapturedMessage;
import io.firebreak.bot.capture.CaptureService.Delivery;
import io.firebreak.bot.capture.CaptureService.MessageContent;
import io.firebreak.bot.capture.CaptureService.MessageRef;
import io.firebreak.bot.capture.CaptureService.Outcome;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The capture decisions called directly, for the races a Slack request cannot time: on a real, migrated
 * PostgreSQL database, with no job runner, so the test decides when a "job" completes.
 */
class CaptureServiceTest {
    static final String CHANNEL = "C0INCIDENT1";
    static final MessageRef MESSAGE = new MessageRef(CHANNEL, "1477958101.000004");
    final ObjectMapper mapper = new ObjectMapper();
    Database database;
    Jdbi db;
    CaptureService captures;

    @BeforeEach
    void start() {
        database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5));
        db = database.jdbi();
        Storage storage = new Storage(db, mapper, Clock.systemUTC());
        IncidentService incidents = new IncidentService(storage, mapper, () -> {}, Responders.everyone());
        incidents.open(new IncidentService.OpenRequest(
                "Refund agent sent wrong refunds",
                Optional.of(Severity.HIGH),
                "U2CERLKJA",
                Optional.empty(),
                "slash-command"));
        db.useHandle(h -> h.execute("update incident set channel_id = ? where id = 1", CHANNEL));
        captures = new CaptureService(storage, mapper, () -> {});
    }

    @AfterEach
    void stop() {
        database.close();
    }

    private long count(String sql) {
        return db.withHandle(h -> h.select(sql).mapTo(Long.class).one());
    }

    private String string(String sql) {
        return db.withHandle(h -> h.select(sql).mapTo(String.class).one());
    }

    private static CapturedMessage read(String text) {
        return new CapturedMessage(
                new MessageContent("U299ATJ2X", text, Optional.empty()),
                Optional.empty(),
                Optional.of("https://example.slack.com/archives/C0INCIDENT1/p1477958101000004"),
                Optional.empty());
    }

    @Test
    void concurrentPinsOfOneMessageRecordOneRequest() throws Exception {
        int pinners = 8;
        CyclicBarrier together = new CyclicBarrier(pinners);
        ExecutorService pool = Executors.newFixedThreadPool(pinners);
        List<Future<CaptureService.Result>> results = new ArrayList<>();
        for (int i = 0; i < pinners; i++) {
            String user = "U0PINNER0" + i;
            results.add(pool.submit(() -> {
                together.await();
                return captures.pinned(Optional.of(new Delivery("Ev0RACE" + user, "reaction_added")), MESSAGE, user);
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<CaptureService.Result> result : results) {
            outcomes.add(result.get().outcome());
        }
        pool.shutdown();

        assertThat(outcomes).containsOnlyOnce(Outcome.QUEUED);
        assertThat(outcomes)
                .allMatch(o -> o == Outcome.QUEUED || o == Outcome.IN_PROGRESS || o == Outcome.ALREADY_CAPTURED);
        assertThat(count("select count(*) from message_capture")).isEqualTo(1);
        assertThat(count("select count(*) from received_event")).isEqualTo(pinners);
    }

    @Test
    void theDatabaseItselfRefusesASecondCaptureOfOneMessage() {
        captures.pinned(Optional.empty(), MESSAGE, "U0PINNER01");

        assertThatThrownBy(() -> db.useHandle(h -> h.execute("""
                insert into message_capture (incident_id, channel_id, message_ts, method, requested_by, requested_at, state, updated_at)
                values (1, ?, ?, 'SHORTCUT', 'U0SOMEONE1', now(), 'PENDING', now())""", MESSAGE.channel(), MESSAGE.ts())))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("message_capture_incident_id_channel_id_message_ts_key");
    }

    @Test
    void aPinTakenBackBeforeTheJobRanAddsNothing() {
        long id = captures.pinned(Optional.empty(), MESSAGE, "U0PINNER01").id().getAsLong();

        assertThat(captures.unpinned(Optional.empty(), MESSAGE, "U0PINNER01").outcome())
                .isEqualTo(Outcome.CANCELLED);

        assertThat(captures.complete(id, 1, read("too late"))).isEmpty();
        assertThat(captures.pendingFor(new CaptureService.Attempt(id, 1))).isEmpty();
        assertThat(count("select count(*) from timeline_event where kind like 'message_%'"))
                .isZero();
        assertThat(captures.unpinned(Optional.empty(), MESSAGE, "U0PINNER01").outcome())
                .isEqualTo(Outcome.NOT_CAPTURED);
    }

    @Test
    void aNewerAttemptSupersedesTheJobOfAnOlderOne() {
        long id = captures.pinned(Optional.empty(), MESSAGE, "U0PINNER01").id().getAsLong();
        assertThat(captures.fail(id, 1, "not_in_channel")).isTrue();

        assertThat(captures.pinned(Optional.empty(), MESSAGE, "U0PINNER02").outcome())
                .isEqualTo(Outcome.QUEUED);

        assertThat(captures.complete(id, 1, read("from the old attempt"))).isEmpty();
        assertThat(captures.fail(id, 1, "late failure")).isFalse();
        assertThat(captures.complete(id, 2, read("from the new attempt"))).isPresent();
        assertThat(string("select details::text from timeline_event where kind = 'message_captured'"))
                .contains("from the new attempt");
        assertThat(string("select actor from timeline_event where kind = 'message_captured'"))
                .isEqualTo("U0PINNER02");
    }

    @Test
    void aDeliveryThatRolledBackIsNotRemembered() {
        Delivery delivery = new Delivery("Ev0ROLLBACK", "reaction_added");

        assertThatThrownBy(() -> captures.pinned(Optional.of(delivery), new MessageRef(CHANNEL, null), "U0PINNER01"))
                .isInstanceOf(RuntimeException.class);

        assertThat(count("select count(*) from received_event")).isZero();
        assertThat(captures.pinned(Optional.of(delivery), MESSAGE, "U0PINNER01").outcome())
                .isEqualTo(Outcome.QUEUED);
    }
}
