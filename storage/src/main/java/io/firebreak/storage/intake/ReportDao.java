package io.firebreak.storage.intake;

import io.firebreak.storage.incident.Severity;
import io.firebreak.storage.incident.Teams;
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
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for user reports and the per-form intake rate. */
@RegisterRowMapper(ReportDao.ReportMapper.class)
public interface ReportDao {

    @SqlUpdate("""
            insert into report (incident_id, description, reporter, run_id, source, workflow, occurred_at, customer_ref,
                                severity_hint, form, received_at, joined_existing)
            values (:incidentId, :description, :reporter, :runId, :source, :workflow, :occurredAt, :customerRef,
                    :severityHint, :form, :receivedAt, :joined)
            """)
    @GetGeneratedKeys("id")
    long insert(
            @Bind("incidentId") long incidentId,
            @Bind("description") String description,
            @Bind("reporter") String reporter,
            @Bind("runId") String runId,
            @Bind("source") String source,
            @Bind("workflow") String workflow,
            @Bind("occurredAt") Instant occurredAt,
            @Bind("customerRef") String customerRef,
            @Bind("severityHint") Severity severityHint,
            @Bind("form") String form,
            @Bind("receivedAt") Instant receivedAt,
            @Bind("joined") boolean joinedExisting);

    @SqlQuery("select * from report where id = :id")
    Optional<Report> find(@Bind("id") long id);

    @SqlQuery("select * from report where incident_id = :incidentId order by received_at, id")
    List<Report> forIncident(@Bind("incidentId") long incidentId);

    /**
     * The open incident of the workspaces {@code teams} lets join that a report about this agent run already joined,
     * newest first. Filtered here, not after: another workspace's newer incident must not hide this one's.
     */
    @SqlQuery("""
            select r.incident_id from report r join incident i on i.id = r.incident_id
            where r.run_id = :runId and i.phase <> 'CLOSED' and (:everyTeam or i.team_id = any(:teams))
            order by r.received_at desc limit 1
            """)
    Optional<Long> openIncidentWithRun(@Bind("runId") String runId, @BindMethods Teams teams);

    /**
     * The open incident of the workspaces {@code teams} lets join that a report about this workflow joined since
     * {@code since}, newest first.
     */
    @SqlQuery("""
            select r.incident_id from report r join incident i on i.id = r.incident_id
            where r.workflow = :workflow and r.received_at >= :since and i.phase <> 'CLOSED'
              and (:everyTeam or i.team_id = any(:teams))
            order by r.received_at desc limit 1
            """)
    Optional<Long> openIncidentWithWorkflowSince(
            @Bind("workflow") String workflow, @Bind("since") Instant since, @BindMethods Teams teams);

    /**
     * Counts one more request from {@code form} in the minute starting at {@code window} and returns the
     * count so far, atomically across replicas.
     */
    @SqlQuery("""
            insert into intake_rate (form, window_start, requests) values (:form, :window, 1)
            on conflict (form, window_start) do update set requests = intake_rate.requests + 1
            returning requests
            """)
    int countRequest(@Bind("form") String form, @Bind("window") Instant window);

    /**
     * Forgets up to 500 rate windows that started before {@code before}. Bounded, so it can run beside every count
     * without ever taking long; without it the table grows by a row per form per minute for ever.
     */
    @SqlUpdate("""
            delete from intake_rate where (form, window_start) in
                (select form, window_start from intake_rate where window_start < :before limit 500)
            """)
    int forgetRatesBefore(@Bind("before") Instant before);

    /** Maps a row of {@code report}. */
    final class ReportMapper implements RowMapper<Report> {
        @Override
        public Report map(ResultSet rs, StatementContext ctx) throws SQLException {
            Timestamp occurred = rs.getTimestamp("occurred_at");
            return new Report(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getString("description"),
                    rs.getString("reporter"),
                    Optional.ofNullable(rs.getString("run_id")),
                    Optional.ofNullable(rs.getString("source")),
                    Optional.ofNullable(rs.getString("workflow")),
                    Optional.ofNullable(occurred).map(Timestamp::toInstant),
                    Optional.ofNullable(rs.getString("customer_ref")),
                    Optional.ofNullable(rs.getString("severity_hint")).map(Severity::valueOf),
                    rs.getString("form"),
                    rs.getTimestamp("received_at").toInstant(),
                    rs.getBoolean("joined_existing"));
        }
    }
}
