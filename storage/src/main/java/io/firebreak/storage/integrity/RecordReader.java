package io.firebreak.storage.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.firebreak.storage.timeline.TimelineEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Reads what a verification compares, in one transaction: timeline events, the incident rows and containment runs
 * they must agree with, and snapshot hashes for an export. Reads only; every query is plain so that a verifier can
 * run it with a read-only role.
 */
public final class RecordReader {
    private static final String EVENTS = "select * from timeline_event";

    private final Handle handle;
    private final ObjectMapper mapper;

    public RecordReader(Handle handle, ObjectMapper mapper) {
        this.handle = handle;
        this.mapper = mapper;
    }

    /** What an incident row says, beside its events. */
    public record IncidentFacts(long id, String title, Optional<String> severity, String phase, String commander) {}

    /** A containment run's stored state. */
    public record RunFacts(String id, long incidentId, String state) {}

    /** One evidence snapshot's hash, for an export. */
    public record SnapshotHash(String runId, String source, int seq, String fetchedAt, String sha256, long bytes) {}

    /** Every event, or one incident's, by incident then sequence number. */
    public List<TimelineEvent> events(Optional<Long> incidentId) {
        String sql = incidentId.isPresent()
                ? EVENTS + " where incident_id = :id order by seq"
                : EVENTS + " order by incident_id, seq";
        var query = handle.createQuery(sql);
        incidentId.ifPresent(id -> query.bind("id", id));
        return query.map((rs, ctx) -> event(rs)).list();
    }

    public List<IncidentFacts> incidents(Optional<Long> incidentId) {
        var query = handle.createQuery("select id, title, severity, phase, commander from incident"
                + (incidentId.isPresent() ? " where id = :id" : "") + " order by id");
        incidentId.ifPresent(id -> query.bind("id", id));
        return query.map((rs, ctx) -> new IncidentFacts(
                        rs.getLong("id"),
                        rs.getString("title"),
                        Optional.ofNullable(rs.getString("severity")),
                        rs.getString("phase"),
                        rs.getString("commander")))
                .list();
    }

    public List<RunFacts> runs(Optional<Long> incidentId) {
        var query = handle.createQuery("select id, incident_id, state from containment_run"
                + (incidentId.isPresent() ? " where incident_id = :id" : "")
                + " order by incident_id, requested_at, id");
        incidentId.ifPresent(id -> query.bind("id", id));
        return query.map(
                        (rs, ctx) -> new RunFacts(rs.getString("id"), rs.getLong("incident_id"), rs.getString("state")))
                .list();
    }

    public List<SnapshotHash> snapshots(long incidentId) {
        return handle.createQuery("""
                        select a.run_id, s.source, s.seq, s.fetched_at, s.sha256, s.bytes
                        from evidence_snapshot s join run_attachment a on a.id = s.attachment_id
                        where a.incident_id = :id order by a.attached_at, a.id, s.seq
                        """)
                .bind("id", incidentId)
                .map((rs, ctx) -> new SnapshotHash(
                        rs.getString("run_id"),
                        rs.getString("source"),
                        rs.getInt("seq"),
                        rs.getTimestamp("fetched_at").toInstant().toString(),
                        rs.getString("sha256"),
                        rs.getLong("bytes")))
                .list();
    }

    private TimelineEvent event(ResultSet rs) throws SQLException {
        String details = rs.getString("details");
        JsonNode node;
        try {
            node = mapper.readTree(details);
        } catch (JsonProcessingException e) {
            // Unreadable details cannot hash to what was signed; the verifier reports the event as changed.
            node = TextNode.valueOf(details);
        }
        return new TimelineEvent(
                rs.getLong("id"),
                rs.getLong("incident_id"),
                rs.getInt("seq"),
                rs.getTimestamp("at").toInstant(),
                rs.getString("actor"),
                rs.getString("kind"),
                node,
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
