package io.firebreak.storage.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentDao;
import io.firebreak.storage.incident.NewIncident;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Appends to and reads an incident's hash-chained timeline, on one database handle.
 *
 * <p>Each event's hash is {@code SHA-256(prev_hash + "\n" + canonical JSON of {actor, at, details,
 * incident, kind, seq})}, where {@code incident} is the incident key. The first event's {@code prev_hash}
 * is 64 zeros.
 */
public final class Timeline {
    /** The {@code prev_hash} of an incident's first event. */
    public static final String GENESIS = "0".repeat(64);

    private final Handle handle;
    private final TimelineDao dao;
    private final CanonicalJson canonical;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final EventHash eventHash;

    /** A timeline in {@code handle}'s transaction, written and read through {@code dao}. */
    public Timeline(Handle handle, TimelineDao dao, ObjectMapper mapper, Clock clock) {
        this.handle = handle;
        this.dao = dao;
        this.canonical = new CanonicalJson(mapper);
        this.mapper = mapper;
        this.clock = clock;
        this.eventHash = new EventHash(mapper);
    }

    /**
     * Appends an event now. Call inside a transaction; it locks the incident row, so concurrent appends to
     * one incident are chained one after the other.
     */
    public TimelineEvent append(long incidentId, String actor, String kind, JsonNode details) {
        handle.createQuery("select id from incident where id = :id for update")
                .bind("id", incidentId)
                .mapTo(Long.class)
                .findOne()
                .orElseThrow(() -> new IllegalArgumentException("no incident " + incidentId));
        Optional<TimelineDao.Head> head = dao.head(incidentId);
        return insert(
                incidentId,
                head.map(h -> h.seq() + 1).orElse(1),
                head.map(TimelineDao.Head::hash).orElse(GENESIS),
                actor,
                kind,
                details);
    }

    /**
     * Starts the timeline of an incident inserted in this same transaction with its first event. No other transaction
     * can see the incident yet, so there is no row to lock and no head to read (two round trips fewer when an incident
     * is opened); an incident that has events already makes the insert fail on its unique sequence number.
     */
    public TimelineEvent start(long incidentId, String actor, String kind, JsonNode details) {
        return insert(incidentId, 1, GENESIS, actor, kind, details);
    }

    /** A new incident as stored, with its first event. */
    public record Opened(Incident incident, TimelineEvent event) {}

    /**
     * Stores a new incident in {@code DETECTED}, its first event and the job {@code cardTask} (instance
     * {@code <incident id><cardInstanceSuffix>}) that publishes it, in one statement: one round trip instead of three.
     * The event's hash is taken by the database over the text {@link EventHash#around} gives, so it is the hash
     * {@link #verify} recomputes.
     */
    public Opened open(
            NewIncident fresh,
            boolean privateIncident,
            Instant now,
            String kind,
            JsonNode details,
            String cardTask,
            String cardInstanceSuffix) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detailsText = canonical.normalize(details);
        JsonNode stored = canonical.read(detailsText);
        EventHash.Around hashed = eventHash.around(GENESIS, 1, at, fresh.reporter(), kind, stored);
        // Plain JDBC: Jdbi's named binding of these 19 values cost more CPU than the rest of the statement's Java side.
        try (PreparedStatement open = handle.getConnection().prepareStatement(OPEN)) {
            OffsetDateTime stamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            int i = 0;
            open.setString(++i, fresh.title());
            open.setString(++i, fresh.severity().map(Enum::name).orElse(null));
            open.setString(++i, fresh.commander());
            open.setString(++i, fresh.reporter());
            open.setString(++i, fresh.source());
            open.setString(++i, fresh.originChannel().orElse(null));
            open.setObject(++i, stamp);
            open.setObject(++i, stamp);
            open.setBoolean(++i, privateIncident);
            open.setString(++i, fresh.teamId());
            open.setString(++i, fresh.enterpriseId().orElse(null));
            open.setObject(++i, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            open.setString(++i, fresh.reporter());
            open.setString(++i, kind);
            open.setString(++i, detailsText);
            open.setString(++i, GENESIS);
            open.setString(++i, hashed.before());
            open.setString(++i, hashed.after());
            open.setString(++i, cardTask);
            open.setString(++i, cardInstanceSuffix);
            open.setObject(++i, stamp);
            try (ResultSet rs = open.executeQuery()) {
                rs.next();
                Incident incident = new IncidentDao.IncidentMapper().map(rs, null);
                return new Opened(
                        incident,
                        new TimelineEvent(
                                rs.getLong("event_id"),
                                incident.id(),
                                1,
                                at,
                                fresh.reporter(),
                                kind,
                                stored,
                                GENESIS,
                                rs.getString("event_hash")));
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static final String OPEN = """
            with i as (
              insert into incident (title, severity, phase, commander, reporter, source, origin_channel, opened_at,
                                    updated_at, private, team_id, enterprise_id)
              values (?, ?, 'DETECTED', ?, ?, ?, ?, ?, ?, ?, ?, ?)
              returning *),
            e as (
              insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
              select id, 1, ?, ?, ?, cast(? as json), ?, encode(sha256(convert_to(? || id || ?, 'UTF8')), 'hex')
              from i
              returning id as event_id, hash as event_hash),
            j as (
              insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
              select ?, id || ?, null, ?, false, 1, 0 from i)
            select i.*, e.event_id, e.event_hash from i, e
            """;

    private TimelineEvent insert(
            long incidentId, int seq, String prevHash, String actor, String kind, JsonNode details) {
        // PostgreSQL keeps microseconds; hash what will be read back.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detailsText = canonical.normalize(details);
        String hash = hash(prevHash, incidentId, seq, at, actor, kind, detailsText);
        long id = dao.insert(incidentId, seq, at, actor, kind, detailsText, prevHash, hash);
        return new TimelineEvent(id, incidentId, seq, at, actor, kind, canonical.read(detailsText), prevHash, hash);
    }

    /** Every event of the incident, oldest first. */
    public List<TimelineEvent> events(long incidentId) {
        return dao.all(incidentId).stream().map(r -> r.toEvent(mapper)).toList();
    }

    /** The newest {@code limit} events, oldest of them first. */
    public List<TimelineEvent> newest(long incidentId, int limit) {
        return dao.newest(incidentId, limit).stream()
                .map(r -> r.toEvent(mapper))
                .toList();
    }

    /** Recomputes every hash and link of the incident's chain from what is stored. */
    public ChainVerification verify(long incidentId) {
        List<TimelineDao.Row> rows = dao.all(incidentId);
        String expectedPrev = GENESIS;
        int expectedSeq = 1;
        for (TimelineDao.Row row : rows) {
            Optional<String> problem = Optional.empty();
            if (row.seq() != expectedSeq) {
                problem = Optional.of("expected event " + expectedSeq + " but found event " + row.seq());
            } else if (!row.prevHash().equals(expectedPrev)) {
                problem = Optional.of("prev_hash does not match the hash of the event before it");
            } else {
                String recomputed;
                try {
                    recomputed = hash(
                            row.prevHash(),
                            incidentId,
                            row.seq(),
                            row.at(),
                            row.actor(),
                            row.kind(),
                            canonical.write(canonical.read(row.details())));
                } catch (IllegalArgumentException e) {
                    recomputed = "";
                }
                if (!recomputed.equals(row.hash())) {
                    problem = Optional.of("hash does not match the event's content");
                }
            }
            if (problem.isPresent()) {
                return new ChainVerification(
                        rows.size(), Optional.of(new ChainVerification.Break(row.seq(), row.id(), problem.get())));
            }
            expectedPrev = row.hash();
            expectedSeq++;
        }
        return new ChainVerification(rows.size(), Optional.empty());
    }

    private String hash(
            String prevHash, long incidentId, int seq, Instant at, String actor, String kind, String detailsText) {
        return eventHash.of(prevHash, incidentId, seq, at, actor, kind, canonical.read(detailsText));
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
