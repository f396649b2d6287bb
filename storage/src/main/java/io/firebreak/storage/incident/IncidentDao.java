package io.firebreak.storage.incident;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code incident} table. */
@RegisterRowMapper(IncidentDao.IncidentMapper.class)
public interface IncidentDao {

    /** Inserts a new incident in {@code DETECTED} and returns it as stored (one round trip: {@code returning *}). */
    @SqlUpdate("""
            insert into incident (title, severity, phase, commander, reporter, source, origin_channel, opened_at, updated_at, private)
            values (:title, :severity, 'DETECTED', :commander, :reporter, :source, :originChannel, :now, :now, :private)
            """)
    @GetGeneratedKeys
    Incident insert(
            @Bind("title") String title,
            @Bind("severity") String severity,
            @Bind("commander") String commander,
            @Bind("reporter") String reporter,
            @Bind("source") String source,
            @Bind("originChannel") String originChannel,
            @Bind("now") Instant now,
            @Bind("private") boolean privateIncident);

    /** Inserts a new public incident. */
    default Incident insert(
            String title,
            String severity,
            String commander,
            String reporter,
            String source,
            String originChannel,
            Instant now) {
        return insert(title, severity, commander, reporter, source, originChannel, now, false);
    }

    @SqlQuery("select * from incident where id = :id")
    Optional<Incident> find(@Bind("id") long id);

    /** Reads the incident and locks its row until the transaction ends, so changes to it are serialised. */
    @SqlQuery("select * from incident where id = :id for update")
    Optional<Incident> lock(@Bind("id") long id);

    /** Open incidents, most severe first (not assessed after LOW), oldest first within a severity. */
    @SqlQuery("""
            select * from incident where phase <> 'CLOSED'
            order by case severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 when 'LOW' then 3 else 4 end,
                     opened_at, id
            """)
    List<Incident> listOpen();

    /** As {@link #listOpen()}, of the workspaces {@code teams} lets see. */
    @SqlQuery("""
            select * from incident where phase <> 'CLOSED' and (:everyTeam or team_id = any(:teams))
            order by case severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 when 'LOW' then 3 else 4 end,
                     opened_at, id
            """)
    List<Incident> listOpen(@BindMethods Teams teams);

    /**
     * The newest incident {@code reporter} opened at or after {@code since} whose title is {@code title} up to case and
     * runs of white space (compared by the database on both sides, so the two can never disagree).
     */
    @SqlQuery("select * from incident where reporter = :reporter"
            + " and title_key = lower(regexp_replace(:title, '\\s+', ' ', 'g'))"
            + " and opened_at >= :since order by opened_at desc, id desc limit 1")
    Optional<Incident> openedSince(
            @Bind("reporter") String reporter, @Bind("title") String title, @Bind("since") Instant since);

    /** As {@link #openedSince(String, String, Instant)}, in workspace {@code teamId} only. */
    @SqlQuery("select * from incident where reporter = :reporter"
            + " and title_key = lower(regexp_replace(:title, '\\s+', ' ', 'g'))"
            + " and opened_at >= :since and team_id = :team order by opened_at desc, id desc limit 1")
    Optional<Incident> openedSince(
            @Bind("reporter") String reporter,
            @Bind("title") String title,
            @Bind("since") Instant since,
            @Bind("team") String teamId);

    @SqlQuery("select * from incident where channel_id = :channel and phase <> 'CLOSED' order by id desc limit 1")
    Optional<Incident> findByChannel(@Bind("channel") String channel);

    /** As {@link #findByChannel(String)}, of the workspaces {@code teams} lets see. */
    @SqlQuery("select * from incident where channel_id = :channel and phase <> 'CLOSED'"
            + " and (:everyTeam or team_id = any(:teams)) order by id desc limit 1")
    Optional<Incident> findByChannel(@Bind("channel") String channel, @BindMethods Teams teams);

    @SqlUpdate("update incident set card_channel = :channel, card_ts = :ts where id = :id")
    void setCard(@Bind("id") long id, @Bind("channel") String channel, @Bind("ts") String ts);

    @SqlUpdate("update incident set channel_id = :channel, channel_error = null where id = :id")
    void setChannel(@Bind("id") long id, @Bind("channel") String channel);

    @SqlUpdate("update incident set channel_error = :error where id = :id")
    void setChannelError(@Bind("id") long id, @Bind("error") String error);

    @SqlUpdate("update incident set severity = :severity, severity_reason = :reason, updated_at = :now where id = :id")
    void setSeverity(
            @Bind("id") long id,
            @Bind("severity") Severity severity,
            @Bind("reason") String reason,
            @Bind("now") Instant now);

    @SqlUpdate("update incident set phase = :phase, updated_at = :now where id = :id")
    void setPhase(@Bind("id") long id, @Bind("phase") Phase phase, @Bind("now") Instant now);

    @SqlUpdate("update incident set commander = :commander, updated_at = :now where id = :id")
    void setCommander(@Bind("id") long id, @Bind("commander") String commander, @Bind("now") Instant now);

    @SqlUpdate("update incident set updated_at = :now where id = :id")
    void touch(@Bind("id") long id, @Bind("now") Instant now);

    /** Incidents not closed (as {@link #listOpen}), counted per severity; those not assessed under {@code notAssessed}. */
    @SqlQuery(
            "select coalesce(severity, :notAssessed) as severity, count(*) as open from incident where phase <> 'CLOSED' group by 1")
    @KeyColumn("severity")
    @ValueColumn("open")
    java.util.Map<String, Long> countOpenBySeverity(@Bind("notAssessed") String notAssessed);

    /** Maps a row of {@code incident}. */
    final class IncidentMapper implements RowMapper<Incident> {
        @Override
        public Incident map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Incident(
                    rs.getLong("id"),
                    rs.getString("title"),
                    Optional.ofNullable(rs.getString("severity")).map(Severity::valueOf),
                    Phase.valueOf(rs.getString("phase")),
                    rs.getString("commander"),
                    rs.getString("reporter"),
                    rs.getString("source"),
                    Optional.ofNullable(rs.getString("origin_channel")),
                    Optional.ofNullable(rs.getString("channel_id")),
                    Optional.ofNullable(rs.getString("card_channel")),
                    Optional.ofNullable(rs.getString("card_ts")),
                    Optional.ofNullable(rs.getString("channel_error")),
                    Optional.ofNullable(rs.getString("severity_reason")),
                    rs.getTimestamp("opened_at").toInstant(),
                    rs.getTimestamp("updated_at").toInstant(),
                    rs.getBoolean("private"),
                    rs.getString("team_id"),
                    Optional.ofNullable(rs.getString("enterprise_id")));
        }
    }
}
