package io.firebreak.storage.paging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

/** SQL for paging: {@code page_event}, {@code pagerduty_webhook_event} and {@code oncall_shift}. */
@RegisterRowMapper(PagingDao.PageEventMapper.class)
public interface PagingDao {

    @SqlUpdate("""
            insert into page_event (incident_id, service, action, requested_by, reason, state, requested_at)
            values (:incidentId, :service, :action, :by, :reason, 'QUEUED', :at)
            """)
    @GetGeneratedKeys("id")
    long insert(
            @Bind("incidentId") long incidentId,
            @Bind("service") String service,
            @Bind("action") String action,
            @Bind("by") String requestedBy,
            @Bind("reason") String reason,
            @Bind("at") Instant at);

    @SqlQuery("select * from page_event where id = :id")
    Optional<PageEvent> find(@Bind("id") long id);

    /** Every event of the incident, oldest first. */
    @SqlQuery("select * from page_event where incident_id = :incidentId order by id")
    List<PageEvent> ofIncident(@Bind("incidentId") long incidentId);

    /** Counts one more attempt at sending the event. */
    @SqlUpdate("update page_event set attempts = attempts + 1 where id = :id")
    void attempted(@Bind("id") long id);

    /** Settles the event: {@code SENT} or {@code FAILED}, with what PagerDuty answered. */
    @SqlUpdate("update page_event set state = :state, outcome = :outcome, finished_at = :at where id = :id")
    void settle(
            @Bind("id") long id, @Bind("state") String state, @Bind("outcome") String outcome, @Bind("at") Instant at);

    /** Remembers a webhook delivery; false, changing nothing, when its event id was handled before. */
    @SqlUpdate("""
            insert into pagerduty_webhook_event (event_id, event_type, incident_id, received_at)
            values (:eventId, :type, :incidentId, :at)
            on conflict (event_id) do nothing
            """)
    boolean rememberWebhook(
            @Bind("eventId") String eventId,
            @Bind("type") String type,
            @Bind("incidentId") Long incidentId,
            @Bind("at") Instant at);

    /** The shift last seen on {@code schedule}, if any was. */
    @RegisterConstructorMapper(Shift.class)
    @SqlQuery("select * from oncall_shift where schedule_id = :schedule order by id desc limit 1")
    Optional<Shift> lastShift(@Bind("schedule") String schedule);

    @RegisterConstructorMapper(Shift.class)
    @SqlQuery("select * from oncall_shift where id = :id")
    Optional<Shift> shift(@Bind("id") long id);

    /**
     * Records that {@code user} is on call on {@code schedule} for the shift starting {@code start}, after
     * {@code previous}; empty when that shift was recorded before (by this replica or another), else its id.
     */
    @SqlQuery("""
            insert into oncall_shift (schedule_id, schedule_name, user_id, user_name, user_email, shift_start,
                                      previous_user_id, previous_user_name, previous_user_email, observed_at)
            values (:schedule, :scheduleName, :user, :name, :email, :start, :prevUser, :prevName, :prevEmail, :at)
            on conflict do nothing
            returning id
            """)
    Optional<Long> recordShift(
            @Bind("schedule") String schedule,
            @Bind("scheduleName") String scheduleName,
            @Bind("user") String user,
            @Bind("name") String name,
            @Bind("email") String email,
            @Bind("start") String start,
            @Bind("prevUser") String previousUser,
            @Bind("prevName") String previousName,
            @Bind("prevEmail") String previousEmail,
            @Bind("at") Instant at);

    /** Maps a row of {@code page_event}. */
    final class PageEventMapper implements RowMapper<PageEvent> {
        @Override
        public PageEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PageEvent(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getString("service"),
                    rs.getString("action"),
                    rs.getString("requested_by"),
                    Optional.ofNullable(rs.getString("reason")),
                    rs.getString("state"),
                    rs.getInt("attempts"),
                    Optional.ofNullable(rs.getString("outcome")),
                    rs.getTimestamp("requested_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("finished_at")).map(Timestamp::toInstant));
        }
    }
}
