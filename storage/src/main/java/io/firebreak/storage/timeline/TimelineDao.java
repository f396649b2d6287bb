package io.firebreak.storage.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code timeline_event} table. Rows are only ever inserted. */
@RegisterRowMapper(TimelineDao.Rows.class)
public interface TimelineDao {

    /** The hash and sequence number of an incident's newest event. */
    record Head(int seq, String hash) {}

    /** A stored row with its details as the exact text kept in the database. */
    record Row(
            long id,
            long incidentId,
            int seq,
            Instant at,
            String actor,
            String kind,
            String details,
            String prevHash,
            String hash) {

        TimelineEvent toEvent(ObjectMapper mapper) {
            try {
                return new TimelineEvent(
                        id, incidentId, seq, at, actor, kind, mapper.readTree(details), prevHash, hash);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("timeline event " + id + " has unreadable details", e);
            }
        }
    }

    @SqlQuery("select seq, hash from timeline_event where incident_id = :incidentId order by seq desc limit 1")
    @RegisterConstructorMapper(Head.class)
    Optional<Head> head(@Bind("incidentId") long incidentId);

    @SqlUpdate("""
            insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
            values (:incidentId, :seq, :at, :actor, :kind, cast(:details as json), :prevHash, :hash)
            """)
    @GetGeneratedKeys("id")
    long insert(
            @Bind("incidentId") long incidentId,
            @Bind("seq") int seq,
            @Bind("at") Instant at,
            @Bind("actor") String actor,
            @Bind("kind") String kind,
            @Bind("details") String details,
            @Bind("prevHash") String prevHash,
            @Bind("hash") String hash);

    @SqlQuery("select * from timeline_event where incident_id = :incidentId order by seq")
    List<Row> all(@Bind("incidentId") long incidentId);

    @SqlQuery(
            "select * from (select * from timeline_event where incident_id = :incidentId order by seq desc limit :limit) newest order by seq")
    List<Row> newest(@Bind("incidentId") long incidentId, @Bind("limit") int limit);

    @SqlQuery("select count(*) from timeline_event where incident_id = :incidentId")
    int count(@Bind("incidentId") long incidentId);

    /** Maps a row of {@code timeline_event}, keeping {@code details} as stored. */
    final class Rows implements RowMapper<Row> {
        @Override
        public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Row(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getInt("seq"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("actor"),
                    rs.getString("kind"),
                    rs.getString("details"),
                    rs.getString("prev_hash"),
                    rs.getString("hash"));
        }
    }
}
