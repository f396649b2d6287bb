package io.firebreak.storage.evidence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMappers;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL for attached runs, their fetches and their frozen evidence. Snapshots and raw parts are only ever
 * inserted: the database refuses to change or delete them.
 */
@RegisterRowMappers({
    @RegisterRowMapper(EvidenceDao.AttachmentMapper.class),
    @RegisterRowMapper(EvidenceDao.FetchMapper.class),
    @RegisterRowMapper(EvidenceDao.SnapshotMapper.class),
    @RegisterRowMapper(EvidenceDao.RawPartMapper.class),
    @RegisterRowMapper(EvidenceDao.RawPartInfoMapper.class)
})
public interface EvidenceDao {

    @SqlUpdate("""
            insert into run_attachment (incident_id, run_id, source, attached_by, attached_at, report_id)
            values (:incidentId, :runId, :source, :by, :at, :reportId)
            """)
    @GetGeneratedKeys("id")
    long insertAttachment(
            @Bind("incidentId") long incidentId,
            @Bind("runId") String runId,
            @Bind("source") TraceSource source,
            @Bind("by") String by,
            @Bind("at") Instant at,
            @Bind("reportId") String reportId);

    /** The incident's attachment of {@code runId}, locked until the transaction ends. */
    @SqlQuery("select * from run_attachment where incident_id = :incidentId and run_id = :runId for update")
    Optional<RunAttachment> lockAttachment(@Bind("incidentId") long incidentId, @Bind("runId") String runId);

    @SqlQuery("select * from run_attachment where id = :id for update")
    Optional<RunAttachment> lockAttachmentById(@Bind("id") long id);

    @SqlQuery("select * from run_attachment where incident_id = :incidentId and run_id = :runId")
    Optional<RunAttachment> findAttachment(@Bind("incidentId") long incidentId, @Bind("runId") String runId);

    @SqlQuery("select * from run_attachment where id = :id")
    Optional<RunAttachment> findAttachmentById(@Bind("id") long id);

    /** The incident's runs, first attached first. */
    @SqlQuery("select * from run_attachment where incident_id = :incidentId order by attached_at, id")
    List<RunAttachment> attachments(@Bind("incidentId") long incidentId);

    @SqlUpdate("update run_attachment set source = :source where id = :id")
    void setSource(@Bind("id") long id, @Bind("source") TraceSource source);

    @SqlUpdate("update run_attachment set report_id = :reportId where id = :id and report_id is null")
    void linkReport(@Bind("id") long id, @Bind("reportId") String reportId);

    @SqlUpdate("""
            insert into evidence_fetch (attachment_id, source, requested_by, requested_at)
            values (:attachmentId, :source, :by, :at)
            """)
    @GetGeneratedKeys("id")
    long insertFetch(
            @Bind("attachmentId") long attachmentId,
            @Bind("source") TraceSource source,
            @Bind("by") String by,
            @Bind("at") Instant at);

    @SqlQuery("select * from evidence_fetch where id = :id")
    Optional<EvidenceFetch> findFetch(@Bind("id") long id);

    @SqlQuery("select * from evidence_fetch where attachment_id = :attachmentId and state = 'PENDING'")
    Optional<EvidenceFetch> pendingFetch(@Bind("attachmentId") long attachmentId);

    @SqlQuery("select * from evidence_fetch where attachment_id = :attachmentId order by id desc limit 1")
    Optional<EvidenceFetch> latestFetch(@Bind("attachmentId") long attachmentId);

    @SqlQuery("select * from evidence_fetch where attachment_id = :attachmentId order by id")
    List<EvidenceFetch> fetches(@Bind("attachmentId") long attachmentId);

    /** Counts one more attempt of a pending fetch; empty when it is no longer pending. */
    @SqlQuery("""
            update evidence_fetch set attempts = attempts + 1, next_attempt_at = null
            where id = :id and state = 'PENDING' returning *
            """)
    Optional<EvidenceFetch> startAttempt(@Bind("id") long id);

    @SqlUpdate(
            "update evidence_fetch set last_problem = :problem, next_attempt_at = :next where id = :id and state = 'PENDING'")
    int retryAt(@Bind("id") long id, @Bind("problem") String problem, @Bind("next") Instant next);

    /** Ends a pending fetch; returns 0 when it had already ended. */
    @SqlUpdate("""
            update evidence_fetch set state = :state, last_problem = :problem, next_attempt_at = null, finished_at = :at
            where id = :id and state = 'PENDING'
            """)
    int finish(
            @Bind("id") long id,
            @Bind("state") FetchState state,
            @Bind("problem") String problem,
            @Bind("at") Instant at);

    /** Ends a pending fetch that found the run unchanged since snapshot {@code seq}; 0 when it had already ended. */
    @SqlUpdate("""
            update evidence_fetch set state = 'SUCCEEDED', last_problem = null, next_attempt_at = null,
                   finished_at = :at, unchanged_since = :seq
            where id = :id and state = 'PENDING'
            """)
    int finishUnchanged(@Bind("id") long id, @Bind("seq") int seq, @Bind("at") Instant at);

    @SqlQuery("select * from evidence_snapshot where attachment_id = :attachmentId and seq = :seq")
    Optional<EvidenceSnapshot> snapshot(@Bind("attachmentId") long attachmentId, @Bind("seq") int seq);

    /** How many snapshots all of an incident's runs hold together. */
    @SqlQuery("""
            select count(*) from evidence_snapshot s join run_attachment a on a.id = s.attachment_id
            where a.incident_id = :incidentId
            """)
    int countIncidentSnapshots(@Bind("incidentId") long incidentId);

    @SqlQuery("select count(*) from evidence_snapshot where attachment_id = :attachmentId")
    int countSnapshots(@Bind("attachmentId") long attachmentId);

    @SqlQuery("select coalesce(max(seq), 0) + 1 from evidence_snapshot where attachment_id = :attachmentId")
    int nextSnapshotSeq(@Bind("attachmentId") long attachmentId);

    @SqlUpdate("""
            insert into evidence_snapshot (attachment_id, fetch_id, seq, source, fetched_at, sha256, bytes, truncated,
                                           parse_status, normalized, changes)
            values (:attachmentId, :fetchId, :seq, :source, :at, :sha256, :bytes, :truncated, :parseStatus,
                    cast(:normalized as json), cast(:changes as json))
            """)
    @GetGeneratedKeys("id")
    long insertSnapshot(
            @Bind("attachmentId") long attachmentId,
            @Bind("fetchId") long fetchId,
            @Bind("seq") int seq,
            @Bind("source") TraceSource source,
            @Bind("at") Instant at,
            @Bind("sha256") String sha256,
            @Bind("bytes") long bytes,
            @Bind("truncated") boolean truncated,
            @Bind("parseStatus") ParseStatus parseStatus,
            @Bind("normalized") String normalized,
            @Bind("changes") String changes);

    @SqlUpdate("""
            insert into evidence_raw (snapshot_id, part, method, url, status, content_type, body, bytes, sha256, truncated)
            values (:snapshotId, :part, :method, :url, :status, :contentType, :body, :bytes, :sha256, :truncated)
            """)
    void insertRaw(
            @Bind("snapshotId") long snapshotId,
            @Bind("part") int part,
            @Bind("method") String method,
            @Bind("url") String url,
            @Bind("status") int status,
            @Bind("contentType") String contentType,
            @Bind("body") byte[] body,
            @Bind("bytes") long bytes,
            @Bind("sha256") String sha256,
            @Bind("truncated") boolean truncated);

    @SqlQuery("select * from evidence_snapshot where attachment_id = :attachmentId order by seq")
    List<EvidenceSnapshot> snapshots(@Bind("attachmentId") long attachmentId);

    @SqlQuery("select * from evidence_snapshot where attachment_id = :attachmentId order by seq desc limit 1")
    Optional<EvidenceSnapshot> latestSnapshot(@Bind("attachmentId") long attachmentId);

    @SqlQuery("select * from evidence_snapshot where fetch_id = :fetchId")
    Optional<EvidenceSnapshot> snapshotOfFetch(@Bind("fetchId") long fetchId);

    @SqlQuery("select * from evidence_raw where snapshot_id = :snapshotId order by part")
    List<RawPart> rawParts(@Bind("snapshotId") long snapshotId);

    /** The snapshot's raw parts without their bodies, in part order. */
    @SqlQuery("""
            select snapshot_id, part, method, url, status, content_type, bytes, sha256, truncated
            from evidence_raw where snapshot_id = :snapshotId order by part
            """)
    List<RawPartInfo> rawPartInfos(@Bind("snapshotId") long snapshotId);

    /**
     * {@code length} bytes of a raw part's body from byte {@code from} (0-based). PostgreSQL reads only the slice
     * (and, for a compressed body, decompresses only up to its end), so the whole body is never in this process.
     */
    @SqlQuery("""
            select substring(body from cast(:from as integer) + 1 for cast(:length as integer)) from evidence_raw
            where snapshot_id = :snapshotId and part = :part
            """)
    Optional<byte[]> rawSlice(
            @Bind("snapshotId") long snapshotId,
            @Bind("part") int part,
            @Bind("from") long from,
            @Bind("length") int length);

    /** Maps a row of {@code run_attachment}. */
    final class AttachmentMapper implements RowMapper<RunAttachment> {
        @Override
        public RunAttachment map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new RunAttachment(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getString("run_id"),
                    TraceSource.valueOf(rs.getString("source")),
                    rs.getString("attached_by"),
                    rs.getTimestamp("attached_at").toInstant(),
                    Optional.ofNullable(rs.getString("report_id")));
        }
    }

    /** Maps a row of {@code evidence_fetch}. */
    final class FetchMapper implements RowMapper<EvidenceFetch> {
        @Override
        public EvidenceFetch map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new EvidenceFetch(
                    rs.getLong("id"),
                    rs.getLong("attachment_id"),
                    TraceSource.valueOf(rs.getString("source")),
                    rs.getString("requested_by"),
                    rs.getTimestamp("requested_at").toInstant(),
                    FetchState.valueOf(rs.getString("state")),
                    rs.getInt("attempts"),
                    Optional.ofNullable(rs.getString("last_problem")),
                    instant(rs.getTimestamp("next_attempt_at")),
                    instant(rs.getTimestamp("finished_at")),
                    Optional.ofNullable((Integer) rs.getObject("unchanged_since")));
        }
    }

    /** Maps a row of {@code evidence_snapshot}, keeping the JSON columns as stored. */
    final class SnapshotMapper implements RowMapper<EvidenceSnapshot> {
        @Override
        public EvidenceSnapshot map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new EvidenceSnapshot(
                    rs.getLong("id"),
                    rs.getLong("attachment_id"),
                    rs.getLong("fetch_id"),
                    rs.getInt("seq"),
                    TraceSource.valueOf(rs.getString("source")),
                    rs.getTimestamp("fetched_at").toInstant(),
                    rs.getString("sha256"),
                    rs.getLong("bytes"),
                    rs.getBoolean("truncated"),
                    ParseStatus.valueOf(rs.getString("parse_status")),
                    rs.getString("normalized"),
                    Optional.ofNullable(rs.getString("changes")));
        }
    }

    /** Maps a row of {@code evidence_raw}. */
    final class RawPartMapper implements RowMapper<RawPart> {
        @Override
        public RawPart map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new RawPart(
                    rs.getInt("part"),
                    rs.getString("method"),
                    rs.getString("url"),
                    rs.getInt("status"),
                    Optional.ofNullable(rs.getString("content_type")),
                    rs.getBytes("body"),
                    rs.getString("sha256"),
                    rs.getBoolean("truncated"));
        }
    }

    /** Maps the body-less columns of {@code evidence_raw}. */
    final class RawPartInfoMapper implements RowMapper<RawPartInfo> {
        @Override
        public RawPartInfo map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new RawPartInfo(
                    rs.getLong("snapshot_id"),
                    rs.getInt("part"),
                    rs.getString("method"),
                    rs.getString("url"),
                    rs.getInt("status"),
                    Optional.ofNullable(rs.getString("content_type")),
                    rs.getLong("bytes"),
                    rs.getString("sha256"),
                    rs.getBoolean("truncated"));
        }
    }

    private static Optional<Instant> instant(Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
