package io.firebreak.storage.postmortem;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for corrections and follow-ups. */
@RegisterRowMapper(PostmortemDao.CorrectionMapper.class)
@RegisterRowMapper(PostmortemDao.FollowUpMapper.class)
public interface PostmortemDao {

    @SqlUpdate("""
            insert into correction (incident_id, what_changed, description, new_version, eval_name, eval_link, eval_result,
                                    rollout, recorded_by, recorded_at)
            values (:incidentId, :whatChanged, :description, :newVersion, :evalName, :evalLink, :evalResult, :rollout, :by, :at)
            """)
    @GetGeneratedKeys("id")
    long insertCorrection(
            @Bind("incidentId") long incidentId,
            @Bind("whatChanged") Correction.WhatChanged whatChanged,
            @Bind("description") String description,
            @Bind("newVersion") String newVersion,
            @Bind("evalName") String evalName,
            @Bind("evalLink") String evalLink,
            @Bind("evalResult") Correction.EvalResult evalResult,
            @Bind("rollout") Correction.Rollout rollout,
            @Bind("by") String by,
            @Bind("at") Instant at);

    @SqlQuery("select * from correction where incident_id = :incidentId order by recorded_at, id")
    List<Correction> corrections(@Bind("incidentId") long incidentId);

    @SqlUpdate("""
            insert into follow_up (incident_id, kind, text, owner, source_run_id, input, bad_output, expected_behavior,
                                   failure_point, tags, created_by, created_at)
            values (:incidentId, :kind, :text, :owner, :runId, cast(:input as jsonb), cast(:badOutput as jsonb), :expected,
                    :failurePoint, cast(:tags as jsonb), :by, :at)
            """)
    @GetGeneratedKeys("id")
    long insertFollowUp(
            @Bind("incidentId") long incidentId,
            @Bind("kind") FollowUp.Kind kind,
            @Bind("text") String text,
            @Bind("owner") String owner,
            @Bind("runId") String runId,
            @Bind("input") String inputJson,
            @Bind("badOutput") String badOutputJson,
            @Bind("expected") String expectedBehavior,
            @Bind("failurePoint") String failurePoint,
            @Bind("tags") String tagsJson,
            @Bind("by") String by,
            @Bind("at") Instant at);

    @SqlQuery("select * from follow_up where incident_id = :incidentId order by created_at, id")
    List<FollowUp> followUps(@Bind("incidentId") long incidentId);

    @SqlQuery("select * from follow_up where id = :id")
    Optional<FollowUp> followUp(@Bind("id") long id);

    /** Regression cases of every incident created at or after {@code since}, oldest first. */
    @SqlQuery("select * from follow_up where kind = 'REGRESSION_CASE' and created_at >= :since order by created_at, id")
    List<FollowUp> regressionCasesSince(@Bind("since") Instant since);

    @SqlUpdate("update follow_up set pushed_at = :at, push_error = null where id = :id")
    void markPushed(@Bind("id") long id, @Bind("at") Instant at);

    @SqlUpdate("update follow_up set push_error = :error where id = :id")
    void markPushFailed(@Bind("id") long id, @Bind("error") String error);

    /** Counts one more push attempt and returns how many there have been. */
    @SqlQuery("update follow_up set push_attempts = push_attempts + 1 where id = :id returning push_attempts")
    int countPushAttempt(@Bind("id") long id);

    /** Maps a row of {@code correction}. */
    final class CorrectionMapper implements RowMapper<Correction> {
        @Override
        public Correction map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Correction(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    Correction.WhatChanged.valueOf(rs.getString("what_changed")),
                    Optional.ofNullable(rs.getString("description")),
                    rs.getString("new_version"),
                    Optional.ofNullable(rs.getString("eval_name")),
                    Optional.ofNullable(rs.getString("eval_link")),
                    Correction.EvalResult.valueOf(rs.getString("eval_result")),
                    Correction.Rollout.valueOf(rs.getString("rollout")),
                    rs.getString("recorded_by"),
                    rs.getTimestamp("recorded_at").toInstant());
        }
    }

    /** Maps a row of {@code follow_up}. */
    final class FollowUpMapper implements RowMapper<FollowUp> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public FollowUp map(ResultSet rs, StatementContext ctx) throws SQLException {
            List<String> tags;
            try {
                tags = JSON.readValue(rs.getString("tags"), new TypeReference<List<String>>() {});
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                tags = List.of();
            }
            return new FollowUp(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    FollowUp.Kind.valueOf(rs.getString("kind")),
                    rs.getString("text"),
                    Optional.ofNullable(rs.getString("owner")),
                    Optional.ofNullable(rs.getString("source_run_id")),
                    Optional.ofNullable(rs.getString("input")),
                    Optional.ofNullable(rs.getString("bad_output")),
                    Optional.ofNullable(rs.getString("expected_behavior")),
                    Optional.ofNullable(rs.getString("failure_point")),
                    tags,
                    rs.getString("created_by"),
                    rs.getTimestamp("created_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("pushed_at")).map(Timestamp::toInstant),
                    Optional.ofNullable(rs.getString("push_error")));
        }
    }
}
