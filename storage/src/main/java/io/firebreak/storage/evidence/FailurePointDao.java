package io.firebreak.storage.evidence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code failure_point}: rows are only added, the newest is the incident's current failure point. */
@RegisterRowMapper(FailurePointDao.Mapper.class)
public interface FailurePointDao {

    @SqlUpdate("""
            insert into failure_point (incident_id, point, explanation, set_by, set_at)
            values (:incidentId, :point, :explanation, :by, :at)
            """)
    @GetGeneratedKeys("id")
    long insert(
            @Bind("incidentId") long incidentId,
            @Bind("point") FailurePoint point,
            @Bind("explanation") String explanation,
            @Bind("by") String by,
            @Bind("at") Instant at);

    @SqlQuery("select * from failure_point where incident_id = :incidentId order by id desc limit 1")
    Optional<FailurePointRecord> current(@Bind("incidentId") long incidentId);

    /** Maps a row of {@code failure_point}. */
    final class Mapper implements RowMapper<FailurePointRecord> {
        @Override
        public FailurePointRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new FailurePointRecord(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    FailurePoint.valueOf(rs.getString("point")),
                    rs.getString("explanation"),
                    rs.getString("set_by"),
                    rs.getTimestamp("set_at").toInstant());
        }
    }
}
