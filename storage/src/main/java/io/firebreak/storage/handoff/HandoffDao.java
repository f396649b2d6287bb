package io.firebreak.storage.handoff;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code handoff}. */
@RegisterRowMapper(HandoffDao.HandoffMapper.class)
public interface HandoffDao {

    @SqlUpdate(
            "insert into handoff (incident_id, from_user, to_user, note, offered_at) values (:incidentId, :from, :to, :note, :at)")
    @GetGeneratedKeys("id")
    long insert(
            @Bind("incidentId") long incidentId,
            @Bind("from") String from,
            @Bind("to") String to,
            @Bind("note") String note,
            @Bind("at") Instant at);

    @SqlQuery("select * from handoff where id = :id")
    Optional<Handoff> find(@Bind("id") long id);

    @SqlQuery(
            "select * from handoff where incident_id = :incidentId and accepted_at is null and not superseded order by id desc limit 1")
    Optional<Handoff> pending(@Bind("incidentId") long incidentId);

    /** Marks every pending handoff of the incident as replaced by a newer one. */
    @SqlUpdate(
            "update handoff set superseded = true where incident_id = :incidentId and accepted_at is null and not superseded")
    int supersedePending(@Bind("incidentId") long incidentId);

    /** Accepts the handoff if it is still pending; returns 0 when it was already accepted or superseded. */
    @SqlUpdate("update handoff set accepted_at = :at where id = :id and accepted_at is null and not superseded")
    int accept(@Bind("id") long id, @Bind("at") Instant at);

    /** Maps a row of {@code handoff}. */
    final class HandoffMapper implements RowMapper<Handoff> {
        @Override
        public Handoff map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Handoff(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getString("from_user"),
                    rs.getString("to_user"),
                    Optional.ofNullable(rs.getString("note")),
                    rs.getTimestamp("offered_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("accepted_at")).map(Timestamp::toInstant),
                    rs.getBoolean("superseded"));
        }
    }
}
