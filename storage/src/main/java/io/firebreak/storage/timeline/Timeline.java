package io.firebreak.storage.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.Budgets;
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
    private final Budgets budgets;

    /** A timeline in {@code handle}'s transaction, written and read through {@code dao}. */
    public Timeline(Handle handle, TimelineDao dao, ObjectMapper mapper, Clock clock) {
        this(handle, dao, mapper, clock, new Budgets());
    }

    /** As above, its direct writes checked against the request budgets of {@code budgets} as Jdbi's statements are. */
    public Timeline(Handle handle, TimelineDao dao, ObjectMapper mapper, Clock clock, Budgets budgets) {
        this.budgets = budgets;
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
        Opening opening = new Opening(fresh, privateIncident, now, kind, details);
        // Plain JDBC: Jdbi's named binding of these 19 values cost more CPU than the rest of the statement's Java side.
        try (PreparedStatement open = handle.getConnection().prepareStatement(OPEN)) {
            opening.bind(open, 0, cardTask, cardInstanceSuffix);
            budgets.writing();
            try (ResultSet rs = open.executeQuery()) {
                rs.next();
                return opening.opened(rs);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** What {@link #openUnlessOpened} did: opened {@code incident}, or found it opened already ({@code existing}). */
    public record OpenedOnce(Incident incident, boolean existing) {}

    /**
     * As {@link #open}, unless {@code fresh}'s reporter opened an incident with the same title (as the database compares
     * titles: case and runs of white space aside) at or after {@code since}: then that one, the newest, is returned and
     * nothing is written. Decided under the transaction-scoped advisory lock {@code lock}, taken by a first statement
     * sent in the same round trip as the second, which looks and opens: the second's snapshot is taken once the lock is
     * held, so two of these racing for one lock open one incident. Run with autocommit, the two are one transaction,
     * committed at once: one round trip for the whole open.
     */
    public OpenedOnce openUnlessOpened(
            NewIncident fresh,
            boolean privateIncident,
            Instant now,
            String kind,
            JsonNode details,
            String cardTask,
            String cardInstanceSuffix,
            long lock,
            Instant since) {
        Opening opening = new Opening(fresh, privateIncident, now, kind, details);
        try (PreparedStatement open = handle.getConnection().prepareStatement(OPEN_UNLESS_OPENED)) {
            open.setLong(1, lock);
            open.setString(2, fresh.reporter());
            open.setString(3, fresh.title());
            open.setObject(4, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            open.setString(5, fresh.teamId());
            opening.bind(open, 5, cardTask, cardInstanceSuffix);
            budgets.writing();
            open.execute();
            if (!open.getMoreResults()) {
                throw new SQLException("opening an incident answered no row");
            }
            try (ResultSet rs = open.getResultSet()) {
                rs.next();
                if (rs.getBoolean("existing")) {
                    return new OpenedOnce(new IncidentDao.IncidentMapper().map(rs, null), true);
                }
                return new OpenedOnce(opening.opened(rs).incident(), false);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** A new incident's values as bound to {@link #OPEN}'s parameters, and its first event as hashed. */
    private final class Opening {
        private final NewIncident fresh;
        private final boolean privateIncident;
        private final Instant now;
        private final Instant at;
        private final String kind;
        private final String detailsText;
        private final JsonNode stored;
        private final EventHash.Around hashed;

        Opening(NewIncident fresh, boolean privateIncident, Instant now, String kind, JsonNode details) {
            this.fresh = fresh;
            this.privateIncident = privateIncident;
            this.now = now;
            this.at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            this.kind = kind;
            this.detailsText = canonical.normalize(details);
            this.stored = canonical.read(detailsText);
            this.hashed = eventHash.around(GENESIS, 1, at, fresh.reporter(), kind, stored);
        }

        /** Binds the 21 values of {@link #OPEN}'s text to {@code statement}'s parameters after the first {@code skip}. */
        void bind(PreparedStatement statement, int skip, String cardTask, String cardInstanceSuffix)
                throws SQLException {
            OffsetDateTime stamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            int i = skip;
            statement.setString(++i, fresh.title());
            statement.setString(++i, fresh.severity().map(Enum::name).orElse(null));
            statement.setString(++i, fresh.commander());
            statement.setString(++i, fresh.reporter());
            statement.setString(++i, fresh.source());
            statement.setString(++i, fresh.originChannel().orElse(null));
            statement.setObject(++i, stamp);
            statement.setObject(++i, stamp);
            statement.setBoolean(++i, privateIncident);
            statement.setString(++i, fresh.teamId());
            statement.setString(++i, fresh.enterpriseId().orElse(null));
            statement.setObject(++i, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            statement.setString(++i, fresh.reporter());
            statement.setString(++i, kind);
            statement.setString(++i, detailsText);
            statement.setString(++i, GENESIS);
            statement.setString(++i, hashed.before());
            statement.setString(++i, hashed.after());
            statement.setString(++i, cardTask);
            statement.setString(++i, cardInstanceSuffix);
            statement.setObject(++i, stamp);
        }

        /** The incident and its first event, from the row the statement returned. */
        Opened opened(ResultSet rs) throws SQLException {
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

    /**
     * {@link #OPEN} behind the advisory lock and the look for the same open: two statements, sent together. The incident
     * is inserted only when none is found; the one row answered is the new incident or the one found ({@code existing}).
     */
    private static final String OPEN_UNLESS_OPENED = """
            select 1 from pg_advisory_xact_lock(?);
            with same as (
              select * from incident
              where reporter = ? and title_key = lower(regexp_replace(?, '\\s+', ' ', 'g')) and opened_at >= ?
                and team_id = ?
              order by opened_at desc, id desc limit 1),
            i as (
              insert into incident (title, severity, phase, commander, reporter, source, origin_channel, opened_at,
                                    updated_at, private, team_id, enterprise_id)
              select ?, ?, 'DETECTED', ?, ?, ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from same)
              returning *),
            e as (
              insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
              select id, 1, ?, ?, ?, cast(? as json), ?, encode(sha256(convert_to(? || id || ?, 'UTF8')), 'hex')
              from i
              returning id as event_id, hash as event_hash),
            j as (
              insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
              select ?, id || ?, null, ?, false, 1, 0 from i)
            select i.*, e.event_id, e.event_hash, false as existing from i, e
            union all
            select same.*, null, null, true from same
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
