package io.firebreak.storage.capture;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code message_capture} and {@code message_capture_draft}. */
@RegisterRowMapper(CaptureDao.CaptureMapper.class)
@RegisterRowMapper(CaptureDao.DraftMapper.class)
public interface CaptureDao {

    /**
     * Records a new pending capture, or nothing when the message is already captured or requested for
     * this incident (the unique constraint decides, so concurrent requests cannot both insert).
     *
     * @return the new capture's id, empty when one already existed
     */
    @SqlQuery("""
            insert into message_capture (incident_id, channel_id, message_ts, method, requested_by, requested_at, state,
                                         author, text, thread_ts, response_url, updated_at)
            values (:incidentId, :channel, :ts, :method, :requestedBy, :now, 'PENDING', :author, :text, :threadTs, :responseUrl, :now)
            on conflict (incident_id, channel_id, message_ts) do nothing
            returning id
            """)
    Optional<Long> insert(
            @Bind("incidentId") long incidentId,
            @Bind("channel") String channel,
            @Bind("ts") String ts,
            @Bind("method") CaptureMethod method,
            @Bind("requestedBy") String requestedBy,
            @Bind("author") Optional<String> author,
            @Bind("text") Optional<String> text,
            @Bind("threadTs") Optional<String> threadTs,
            @Bind("responseUrl") Optional<String> responseUrl,
            @Bind("now") Instant now);

    /** The capture of a message for an incident, locked until the transaction ends. */
    @SqlQuery(
            "select * from message_capture where incident_id = :incidentId and channel_id = :channel and message_ts = :ts for update")
    Optional<Capture> lock(@Bind("incidentId") long incidentId, @Bind("channel") String channel, @Bind("ts") String ts);

    /** A capture by id, locked until the transaction ends. */
    @SqlQuery("select * from message_capture where id = :id for update")
    Optional<Capture> lock(@Bind("id") long id);

    @SqlQuery("select * from message_capture where id = :id")
    Optional<Capture> find(@Bind("id") long id);

    /**
     * Makes a failed or cancelled capture pending again as a new attempt, with what the new request knows.
     *
     * @return the new attempt number
     */
    @SqlQuery("""
            update message_capture
               set state = 'PENDING', attempt = attempt + 1, tries = 0, problem = null, method = :method,
                   requested_by = :requestedBy, requested_at = :now, author = :author, text = :text, thread_ts = :threadTs,
                   response_url = :responseUrl, updated_at = :now
             where id = :id
            returning attempt
            """)
    int retry(
            @Bind("id") long id,
            @Bind("method") CaptureMethod method,
            @Bind("requestedBy") String requestedBy,
            @Bind("author") Optional<String> author,
            @Bind("text") Optional<String> text,
            @Bind("threadTs") Optional<String> threadTs,
            @Bind("responseUrl") Optional<String> responseUrl,
            @Bind("now") Instant now);

    @SqlUpdate("update message_capture set state = :state, updated_at = :now where id = :id")
    void setState(@Bind("id") long id, @Bind("state") CaptureState state, @Bind("now") Instant now);

    @SqlUpdate("""
            update message_capture
               set state = 'CAPTURED', author = :author, text = :text, thread_ts = :threadTs, permalink = :permalink,
                   captured_seq = :seq, updated_at = :now
             where id = :id
            """)
    void captured(
            @Bind("id") long id,
            @Bind("author") String author,
            @Bind("text") String text,
            @Bind("threadTs") Optional<String> threadTs,
            @Bind("permalink") Optional<String> permalink,
            @Bind("seq") int seq,
            @Bind("now") Instant now);

    @SqlUpdate("update message_capture set state = 'FAILED', problem = :problem, updated_at = :now where id = :id")
    void failed(@Bind("id") long id, @Bind("problem") String problem, @Bind("now") Instant now);

    /** Counts one more transient failure of the current attempt and returns how many there were. */
    @SqlQuery("update message_capture set tries = tries + 1, updated_at = :now where id = :id returning tries")
    int tried(@Bind("id") long id, @Bind("now") Instant now);

    @SqlQuery("""
            insert into message_capture_draft (channel_id, message_ts, author, text, thread_ts, requested_by, response_url, created_at)
            values (:channel, :ts, :author, :text, :threadTs, :requestedBy, :responseUrl, :now)
            returning id
            """)
    long insertDraft(
            @Bind("channel") String channel,
            @Bind("ts") String ts,
            @Bind("author") String author,
            @Bind("text") String text,
            @Bind("threadTs") Optional<String> threadTs,
            @Bind("requestedBy") String requestedBy,
            @Bind("responseUrl") Optional<String> responseUrl,
            @Bind("now") Instant now);

    @SqlQuery("select * from message_capture_draft where id = :id")
    Optional<CaptureDraft> findDraft(@Bind("id") long id);

    @SqlUpdate("delete from message_capture_draft where id = :id")
    void deleteDraft(@Bind("id") long id);

    /** Deletes drafts nobody finished since {@code before}; returns how many. */
    @SqlUpdate("delete from message_capture_draft where created_at < :before")
    int pruneDrafts(@Bind("before") Instant before);

    /** Maps a row of {@code message_capture}. */
    final class CaptureMapper implements RowMapper<Capture> {
        @Override
        public Capture map(ResultSet rs, StatementContext ctx) throws SQLException {
            int seq = rs.getInt("captured_seq");
            Optional<Integer> capturedSeq = rs.wasNull() ? Optional.empty() : Optional.of(seq);
            return new Capture(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getString("channel_id"),
                    rs.getString("message_ts"),
                    CaptureMethod.valueOf(rs.getString("method")),
                    rs.getString("requested_by"),
                    rs.getTimestamp("requested_at").toInstant(),
                    CaptureState.valueOf(rs.getString("state")),
                    rs.getInt("attempt"),
                    rs.getInt("tries"),
                    Optional.ofNullable(rs.getString("author")),
                    Optional.ofNullable(rs.getString("text")),
                    Optional.ofNullable(rs.getString("thread_ts")),
                    Optional.ofNullable(rs.getString("permalink")),
                    Optional.ofNullable(rs.getString("response_url")),
                    Optional.ofNullable(rs.getString("problem")),
                    capturedSeq);
        }
    }

    /** Maps a row of {@code message_capture_draft}. */
    final class DraftMapper implements RowMapper<CaptureDraft> {
        @Override
        public CaptureDraft map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new CaptureDraft(
                    rs.getLong("id"),
                    rs.getString("channel_id"),
                    rs.getString("message_ts"),
                    rs.getString("author"),
                    rs.getString("text"),
                    Optional.ofNullable(rs.getString("thread_ts")),
                    rs.getString("requested_by"),
                    Optional.ofNullable(rs.getString("response_url")),
                    rs.getTimestamp("created_at").toInstant());
        }
    }
}
