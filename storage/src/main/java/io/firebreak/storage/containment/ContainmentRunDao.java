package io.firebreak.storage.containment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL for the {@code containment_run} table. Every change is guarded by the state it expects, so a double
 * click, a stale button or a second replica changes nothing and learns so from the count of rows updated.
 */
@RegisterRowMapper(ContainmentRunDao.RunMapper.class)
public interface ContainmentRunDao {

    /**
     * Adds the run unless a run for the same Slack request, or a live run of the same action on the same
     * target, exists. Returns false, changing nothing, in that case.
     */
    @SqlUpdate("""
            insert into containment_run (id, incident_id, action, parameters, target_key, reason, request_key, state,
                                         requested_by, requested_at, severity, needs_approval, approval_expires_at)
            values (:id, :incidentId, :action, cast(:parametersJson as json), :targetKey, :reason, :requestKey, :state,
                    :requestedBy, :requestedAt, :severity, :needsApproval, :approvalExpiresAt)
            on conflict do nothing
            """)
    boolean insert(@BindMethods NewContainmentRun run);

    @SqlQuery("select * from containment_run where id = :id")
    Optional<ContainmentRun> find(@Bind("id") String id);

    /** Reads the run and locks its row until the transaction ends. */
    @SqlQuery("select * from containment_run where id = :id for update")
    Optional<ContainmentRun> lock(@Bind("id") String id);

    @SqlQuery("select * from containment_run where request_key = :requestKey")
    Optional<ContainmentRun> findByRequestKey(@Bind("requestKey") String requestKey);

    /** The run of this action on this target that is waiting, running or in effect, if any. */
    @SqlQuery("""
            select * from containment_run where incident_id = :incidentId and target_key = :targetKey
            and state in ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED')
            """)
    Optional<ContainmentRun> findLive(@Bind("incidentId") long incidentId, @Bind("targetKey") String targetKey);

    /** Every run of the incident, oldest first. */
    @SqlQuery("select * from containment_run where incident_id = :incidentId order by requested_at, id")
    List<ContainmentRun> forIncident(@Bind("incidentId") long incidentId);

    /** Runs waiting, running or in effect, oldest first. */
    @SqlQuery("""
            select * from containment_run where incident_id = :incidentId
            and state in ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED') order by requested_at, id
            """)
    List<ContainmentRun> liveForIncident(@Bind("incidentId") long incidentId);

    /** Approves ({@code QUEUED}), denies or expires a run still waiting for approval. */
    @SqlUpdate("""
            update containment_run set state = :to, decided_by = :by, decided_at = :at
            where id = :id and state = 'PENDING_APPROVAL'
            """)
    boolean decide(
            @Bind("id") String id, @Bind("to") RunState to, @Bind("by") Optional<String> by, @Bind("at") Instant at);

    /** Starts an attempt of the action call: counts it before the call, so a crash during the call counts too. */
    @SqlUpdate("""
            update containment_run set state = 'RUNNING', attempts = attempts + 1, started_at = coalesce(started_at, :at),
                                       next_attempt_at = null
            where id = :id and state in ('QUEUED', 'RUNNING')
            """)
    boolean startAttempt(@Bind("id") String id, @Bind("at") Instant at);

    @SqlUpdate("""
            update containment_run set state = 'QUEUED', next_attempt_at = :next, outcome = :outcome
            where id = :id and state = 'RUNNING'
            """)
    boolean scheduleRetry(@Bind("id") String id, @Bind("next") Instant next, @Bind("outcome") String outcome);

    /** Ends a running run as {@code SUCCEEDED} or {@code FAILED}. */
    @SqlUpdate("""
            update containment_run set state = :to, finished_at = :at, outcome = :outcome, verification = :verification,
                                       next_attempt_at = null
            where id = :id and state = 'RUNNING'
            """)
    boolean finish(
            @Bind("id") String id,
            @Bind("to") RunState to,
            @Bind("at") Instant at,
            @Bind("outcome") String outcome,
            @Bind("verification") Optional<Verification> verification);

    /**
     * Ends a run whose job was given up as {@code FAILED}, whether it was waiting for its job or in a call, so it no
     * longer blocks the same action on the same target nor the incident's close.
     */
    @SqlUpdate("""
            update containment_run set state = 'FAILED', finished_at = :at, outcome = :outcome, next_attempt_at = null
            where id = :id and state in ('QUEUED', 'RUNNING')
            """)
    boolean abandon(@Bind("id") String id, @Bind("at") Instant at, @Bind("outcome") String outcome);

    /** Ends an undo whose job was given up as {@code FAILED}, so it can be asked for again. */
    @SqlUpdate("""
            update containment_run set undo_state = 'FAILED', undo_finished_at = :at, undo_outcome = :outcome
            where id = :id and undo_state in ('QUEUED', 'RUNNING')
            """)
    boolean abandonUndo(@Bind("id") String id, @Bind("at") Instant at, @Bind("outcome") String outcome);

    /**
     * Queues again a run whose outcome is unknown (cut short by a stop during its call), with no undo under way: its
     * next attempt sends the same call with the same {@code Idempotency-Key}. False when it is not such a run, or when
     * the same action on the same target is live again (the unique index refuses it; the caller checks first).
     */
    @SqlUpdate("""
            update containment_run set state = 'QUEUED', verification = null, finished_at = null, next_attempt_at = null,
                                       outcome = :outcome
            where id = :id and state = 'FAILED' and verification = 'UNKNOWN'
            and (undo_state is null or undo_state = 'FAILED')
            """)
    boolean retryUnknown(@Bind("id") String id, @Bind("outcome") String outcome);

    /** Keeps the values read before firing, for the undo call. */
    @SqlUpdate("update containment_run set captured = cast(:captured as json) where id = :id")
    void keepCaptured(@Bind("id") String id, @Bind("captured") String capturedJson);

    /** Asks for the undo of a run in effect (or accepted but unconfirmed) that has no undo under way. */
    @SqlUpdate("""
            update containment_run set undo_state = 'QUEUED', undo_requested_by = :by, undo_reason = :reason,
                                       undo_requested_at = :at, undo_requests = undo_requests + 1, undo_attempts = 0,
                                       undo_finished_at = null, undo_outcome = null
            where id = :id and (state = 'SUCCEEDED' or (state = 'FAILED' and verification in ('NOT_CONFIRMED', 'UNKNOWN')))
            and (undo_state is null or undo_state = 'FAILED')
            """)
    boolean requestUndo(
            @Bind("id") String id, @Bind("by") String by, @Bind("reason") String reason, @Bind("at") Instant at);

    @SqlUpdate("""
            update containment_run set undo_state = 'RUNNING', undo_attempts = undo_attempts + 1
            where id = :id and undo_state in ('QUEUED', 'RUNNING')
            """)
    boolean startUndoAttempt(@Bind("id") String id);

    @SqlUpdate(
            "update containment_run set undo_state = 'QUEUED', undo_outcome = :outcome where id = :id and undo_state = 'RUNNING'")
    boolean scheduleUndoRetry(@Bind("id") String id, @Bind("outcome") String outcome);

    /** Ends a running undo; a successful one makes the run {@code UNDONE}. */
    @SqlUpdate("""
            update containment_run set undo_state = :to, undo_finished_at = :at, undo_outcome = :outcome,
                                       state = case when :to = 'SUCCEEDED' then 'UNDONE' else state end
            where id = :id and undo_state = 'RUNNING'
            """)
    boolean finishUndo(
            @Bind("id") String id, @Bind("to") UndoState to, @Bind("at") Instant at, @Bind("outcome") String outcome);

    @SqlUpdate("update containment_run set approval_channel = :channel, approval_ts = :ts where id = :id")
    void setApprovalMessage(@Bind("id") String id, @Bind("channel") String channel, @Bind("ts") String ts);

    @SqlUpdate("update containment_run set outcome_channel = :channel, outcome_ts = :ts where id = :id")
    void setOutcomeMessage(@Bind("id") String id, @Bind("channel") String channel, @Bind("ts") String ts);

    /** Maps a row of {@code containment_run}. */
    final class RunMapper implements RowMapper<ContainmentRun> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() {};

        @Override
        public ContainmentRun map(ResultSet rs, StatementContext ctx) throws SQLException {
            Optional<ContainmentRun.Undo> undo = Optional.empty();
            String undoState = rs.getString("undo_state");
            if (undoState != null) {
                undo = Optional.of(new ContainmentRun.Undo(
                        UndoState.valueOf(undoState),
                        rs.getString("undo_requested_by"),
                        rs.getString("undo_reason"),
                        rs.getTimestamp("undo_requested_at").toInstant(),
                        rs.getInt("undo_requests"),
                        rs.getInt("undo_attempts"),
                        time(rs, "undo_finished_at"),
                        text(rs, "undo_outcome")));
            }
            return new ContainmentRun(
                    rs.getString("id"),
                    rs.getLong("incident_id"),
                    rs.getString("action"),
                    strings(rs.getString("parameters")),
                    rs.getString("reason"),
                    RunState.valueOf(rs.getString("state")),
                    rs.getString("requested_by"),
                    rs.getTimestamp("requested_at").toInstant(),
                    text(rs, "severity").map(Severity::valueOf),
                    new ContainmentRun.Approval(
                            rs.getBoolean("needs_approval"),
                            time(rs, "approval_expires_at"),
                            text(rs, "decided_by"),
                            time(rs, "decided_at"),
                            message(rs, "approval_channel", "approval_ts")),
                    new ContainmentRun.Execution(
                            rs.getInt("attempts"),
                            time(rs, "started_at"),
                            time(rs, "next_attempt_at"),
                            time(rs, "finished_at"),
                            text(rs, "outcome"),
                            text(rs, "verification").map(Verification::valueOf),
                            strings(rs.getString("captured"))),
                    undo,
                    message(rs, "outcome_channel", "outcome_ts"));
        }

        private static Optional<String> text(ResultSet rs, String column) throws SQLException {
            return Optional.ofNullable(rs.getString(column));
        }

        private static Optional<Instant> time(ResultSet rs, String column) throws SQLException {
            return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
        }

        private static Optional<ContainmentRun.SlackMessage> message(ResultSet rs, String channel, String ts)
                throws SQLException {
            String c = rs.getString(channel);
            String t = rs.getString(ts);
            return c == null || t == null ? Optional.empty() : Optional.of(new ContainmentRun.SlackMessage(c, t));
        }

        private static Map<String, String> strings(String json) throws SQLException {
            if (json == null) {
                return Map.of();
            }
            try {
                return java.util.Collections.unmodifiableMap(JSON.readValue(json, STRINGS));
            } catch (JsonProcessingException e) {
                throw new SQLException("containment_run holds JSON that is not an object of strings", e);
            }
        }
    }
}
