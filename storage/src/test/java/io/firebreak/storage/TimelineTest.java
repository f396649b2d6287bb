package io.firebreak.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.NewIncident;
import io.firebreak.storage.incident.Severity;
import io.firebreak.storage.timeline.ChainVerification;
import io.firebreak.storage.timeline.EventHash;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TimelineTest {
    static Database database;
    static Storage storage;
    static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabases.fresh();
        storage = new Storage(database.jdbi(), mapper, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private long newIncident() {
        return storage.inTransaction(tx -> tx.incidents()
                .insert(
                        "Refund agent sent wrong refunds",
                        Severity.HIGH.name(),
                        "U1",
                        "U1",
                        "test",
                        "C1",
                        Instant.now())
                .id());
    }

    private TimelineEvent append(long incident, String kind, String json) {
        return storage.inTransaction(tx -> tx.timeline().append(incident, "U1", kind, readJson(json)));
    }

    private static List<TimelineEvent> events(long incident) {
        return storage.inTransaction(tx -> tx.timeline().events(incident));
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void anIncidentOpenedInOneStatementHasItsFirstEventHashedAsTheVerifierRecomputesIt() {
        // Details that mimic the incident field the database hash is cut around, and text outside ASCII.
        String title = "Ünïcødé ✓ \"incident\":\"INC-#\" refunds";
        Timeline.Opened opened = storage.inTransaction(tx -> tx.timeline()
                .open(
                        new NewIncident(title, Optional.of(Severity.HIGH), "U2", "U1", "test", Optional.of("C1")),
                        false,
                        Instant.now(),
                        "opened",
                        readJson("{\"title\":" + mapper.valueToTree(title) + ",\"n\":1.50}"),
                        "test-card",
                        ":1"));
        long incident = opened.incident().id();
        TimelineEvent event = opened.event();
        TimelineEvent appended = append(incident, "note", "{\"text\":\"second\"}");

        assertThat(opened.incident().title()).isEqualTo(title);
        assertThat(opened.incident().commander()).isEqualTo("U2");
        assertThat(event.seq()).isEqualTo(1);
        assertThat(event.actor()).isEqualTo("U1");
        assertThat(events(incident)).containsExactly(event, appended);
        assertThat(new EventHash(mapper).of(Timeline.GENESIS, 1, event)).isEqualTo(event.hash());
        assertThat(storage.inTransaction(tx -> tx.timeline().verify(incident)).ok())
                .isTrue();
        long cardJobs = storage.jdbi()
                .withHandle(h -> h.createQuery("select count(*) from scheduled_tasks where task_name = 'test-card'"
                                + " and task_instance = :instance")
                        .bind("instance", incident + ":1")
                        .mapTo(Long.class)
                        .one());
        assertThat(cardJobs).as("its card job").isEqualTo(1);
    }

    @Test
    void eventsChainEachHashOntoThePrevious() {
        long incident = newIncident();
        TimelineEvent first = append(incident, "opened", "{\"b\":1,\"a\":\"Ünïcødé ✓\"}");
        TimelineEvent second = append(incident, "note", "{\"text\":\"paused the workflow\",\"n\":1.50}");

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo("0".repeat(64));
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(first.hash()).matches("[0-9a-f]{64}").isNotEqualTo(second.hash());

        List<TimelineEvent> stored = storage.inTransaction(tx -> tx.timeline().events(incident));
        assertThat(stored).extracting(TimelineEvent::hash).containsExactly(first.hash(), second.hash());
        assertThat(stored.get(0).details().get("a").asText()).isEqualTo("Ünïcødé ✓");
        ChainVerification verification =
                storage.inTransaction(tx -> tx.timeline().verify(incident));
        assertThat(verification.ok()).isTrue();
        assertThat(verification.events()).isEqualTo(2);
    }

    @Test
    void aTimelineStartedWithItsIncidentChainsLikeOneAppendedTo() {
        long incident = storage.inTransaction(tx -> {
            long id = tx.incidents()
                    .insert("Support bot quoted a retired policy", null, "U1", "U1", "test", null, Instant.now())
                    .id();
            tx.timeline().start(id, "U1", "opened", readJson("{\"title\":\"Support bot quoted a retired policy\"}"));
            return id;
        });
        TimelineEvent second = append(incident, "note", "{\"text\":\"policy page restored\"}");

        assertThat(events(incident)).extracting(TimelineEvent::seq).containsExactly(1, 2);
        assertThat(events(incident).get(0).prevHash()).isEqualTo("0".repeat(64));
        assertThat(second.prevHash()).isEqualTo(events(incident).get(0).hash());
        assertThat(storage.inTransaction(tx -> tx.timeline().verify(incident)).ok())
                .isTrue();
    }

    @Test
    void startingATimelineThatHasEventsFailsAndLeavesItAsItWas() {
        long incident = newIncident();
        TimelineEvent first = append(incident, "opened", "{}");

        assertThatThrownBy(() ->
                        storage.inTransaction(tx -> tx.timeline().start(incident, "U2", "opened", readJson("{}"))))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("duplicate key");

        assertThat(events(incident))
                .singleElement()
                .extracting(TimelineEvent::hash)
                .isEqualTo(first.hash());
    }

    @Test
    void databaseRefusesUpdateDeleteAndTruncate() {
        long incident = newIncident();
        append(incident, "opened", "{}");

        assertThatThrownBy(() -> database.jdbi()
                        .useHandle(h ->
                                h.execute("update timeline_event set kind = 'forged' where incident_id = ?", incident)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.jdbi()
                        .useHandle(h -> h.execute("delete from timeline_event where incident_id = ?", incident)))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.jdbi().useHandle(h -> h.execute("truncate timeline_event cascade")))
                .hasMessageContaining("append-only");

        assertThat(events(incident))
                .singleElement()
                .extracting(TimelineEvent::kind)
                .isEqualTo("opened");
    }

    @Test
    void verifyFindsARowInsertedBehindTheBotsBack() {
        long incident = newIncident();
        TimelineEvent first = append(incident, "opened", "{}");
        append(incident, "note", "{\"text\":\"a\"}");
        database.jdbi().useHandle(h -> h.execute("""
                insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
                select incident_id, 3, now(), 'U666', 'note', '{"text":"nothing happened"}', hash, ?
                from timeline_event where incident_id = ? and seq = 2""", "f".repeat(64), incident));

        ChainVerification verification =
                storage.inTransaction(tx -> tx.timeline().verify(incident));

        assertThat(verification.ok()).isFalse();
        assertThat(verification.events()).isEqualTo(3);
        assertThat(verification.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(3);
            assertThat(b.reason()).contains("hash does not match");
        });
        assertThat(first.seq()).isEqualTo(1);
    }

    @Test
    void verifyFindsContentRewrittenWithTheTriggerDisabled() {
        long incident = newIncident();
        append(incident, "opened", "{}");
        append(incident, "note", "{\"text\":\"refunds were wrong\"}");
        append(incident, "note", "{\"text\":\"third\"}");
        database.jdbi().useHandle(h -> {
            h.execute("alter table timeline_event disable trigger timeline_event_no_update_or_delete");
            try {
                h.execute(
                        "update timeline_event set details = '{\"text\":\"refunds were fine\"}' where incident_id = ? and seq = 2",
                        incident);
            } finally {
                h.execute("alter table timeline_event enable trigger timeline_event_no_update_or_delete");
            }
        });

        ChainVerification verification =
                storage.inTransaction(tx -> tx.timeline().verify(incident));

        assertThat(verification.firstBroken())
                .get()
                .extracting(ChainVerification.Break::seq)
                .isEqualTo(2);
    }

    @Test
    void concurrentAppendsToOneIncidentFormOneUnbrokenChain() throws Exception {
        long incident = newIncident();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TimelineEvent>> futures = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                futures.add(pool.submit(() -> append(incident, "note", "{\"n\":" + n + "}")));
            }
            for (Future<TimelineEvent> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        List<TimelineEvent> events = storage.inTransaction(tx -> tx.timeline().events(incident));
        assertThat(events)
                .extracting(TimelineEvent::seq)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 80).boxed().toList());
        assertThat(storage.inTransaction(tx -> tx.timeline().verify(incident)).ok())
                .isTrue();
    }

    @Test
    void appendAndIncidentChangeRollBackTogether() {
        long incident = newIncident();
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
                    tx.timeline().append(incident, "U1", "note", mapper.createObjectNode());
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");

        assertThat(events(incident)).isEmpty();
        Incident stored =
                storage.inTransaction(tx -> tx.incidents().find(incident)).orElseThrow();
        assertThat(stored.severity()).contains(Severity.HIGH);
    }
}
