package io.firebreak.storage.signals;

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

/** SQL for signals (grouped alerts), their alerts, the per-source rate and signed deliveries already answered. */
@RegisterRowMapper(SignalDao.SignalMapper.class)
public interface SignalDao {

    /**
     * The query of {@link #openFor}: its fingerprint's signal first, else its workflow's, of an incident of the
     * workspaces {@code :everyTeam}/{@code :teams} let join (the parameters in order: source, fingerprint, everyTeam,
     * teams, source, workflow, everyTeam, teams, since, since; {@link StormJoin} binds them by position).
     */
    String OPEN_FOR = """
            select * from (
                (select s.*, 0 as pick from signal_alert a join signal s on s.id = a.signal_id
                     join incident i on i.id = s.incident_id
                 where a.source = :source and a.fingerprint = :fingerprint and a.signal_id is not null
                   and i.phase <> 'CLOSED' and (:everyTeam or i.team_id = any(:teams))
                 order by a.id desc limit 1)
                union all
                (select s.*, 1 as pick from signal s join incident i on i.id = s.incident_id
                 where s.source = :source and s.workflow = :workflow and i.phase <> 'CLOSED'
                   and (:everyTeam or i.team_id = any(:teams))
                   and (s.first_at >= :since
                        or exists (select 1 from signal_alert a where a.signal_id = s.id and a.received_at >= :since))
                 order by s.id desc limit 1)
            ) found order by pick limit 1
            """;

    @SqlUpdate("""
            insert into signal (incident_id, source, group_key, fingerprint, title, workflow, run_id, severity, labels,
                                first_at)
            values (:incidentId, :source, :groupKey, :fingerprint, :title, :workflow, :runId, :severity,
                    cast(:labels as jsonb), :at)
            """)
    @GetGeneratedKeys("id")
    long insert(
            @Bind("incidentId") long incidentId,
            @Bind("source") String source,
            @Bind("groupKey") String groupKey,
            @Bind("fingerprint") String fingerprint,
            @Bind("title") String title,
            @Bind("workflow") String workflow,
            @Bind("runId") String runId,
            @Bind("severity") String severity,
            @Bind("labels") String labelsJson,
            @Bind("at") Instant at);

    @SqlUpdate("""
            insert into signal_alert (signal_id, source, fingerprint, status, received_at, payload)
            values (:signalId, :source, :fingerprint, :status, :at, cast(:payload as jsonb))
            """)
    void insertAlert(
            @Bind("signalId") Long signalId,
            @Bind("source") String source,
            @Bind("fingerprint") String fingerprint,
            @Bind("status") String status,
            @Bind("at") Instant at,
            @Bind("payload") String payloadJson);

    /**
     * Stores an alert of signal {@code signalId} and says, in the same round trip, whether a job of {@code task} whose
     * instance starts with {@code prefix} is waiting (not picked): the signal's digest, which will count this alert. A
     * plain read, so a storm's requests do not queue on the job table's unique index to find that one is there.
     */
    @SqlQuery("""
            with stored as (
                insert into signal_alert (signal_id, source, fingerprint, status, received_at, payload)
                values (:signalId, :source, :fingerprint, :status, :at, cast(:payload as jsonb))
                returning id)
            select exists (select 1 from scheduled_tasks where task_name = :task and not picked
                           and starts_with(task_instance, :prefix))
            from stored
            """)
    boolean insertAlertSeeingJob(
            @Bind("signalId") long signalId,
            @Bind("source") String source,
            @Bind("fingerprint") String fingerprint,
            @Bind("status") String status,
            @Bind("at") Instant at,
            @Bind("payload") String payloadJson,
            @Bind("task") String task,
            @Bind("prefix") String prefix);

    /**
     * The open signal (incident not closed) an alert of {@code source} belongs to, in one round trip: the one its
     * fingerprint joined last, else the newest about its {@code workflow} (none when null) begun or alerted since
     * {@code since}.
     */
    @SqlQuery(OPEN_FOR)
    Optional<StoredSignal> openFor(
            @Bind("source") String source,
            @Bind("fingerprint") String fingerprint,
            @Bind("workflow") String workflow,
            @Bind("since") Instant since,
            @BindMethods Teams teams);

    /**
     * The usual alert of a storm in one round trip: finds its open signal as {@link #openFor} does and, when there is
     * one, stores the alert in it and says whether a job of {@code task} for the signal (instance
     * {@code "<signal id>:…"}) is waiting. Empty when there is no open signal: nothing was stored.
     */
    @SqlQuery("with found as (" + OPEN_FOR + """
            ),
            stored as (
                insert into signal_alert (signal_id, source, fingerprint, status, received_at, payload)
                select id, :source, :fingerprint, :status, :at, cast(:payload as jsonb) from found
                returning signal_id)
            select f.*, exists (select 1 from scheduled_tasks where task_name = :task and not picked
                                and starts_with(task_instance, f.id || ':')) as job_waiting
            from found f
            """)
    @RegisterRowMapper(JoinedMapper.class)
    Optional<Joined> joinOpen(
            @Bind("source") String source,
            @Bind("fingerprint") String fingerprint,
            @Bind("workflow") String workflow,
            @Bind("since") Instant since,
            @Bind("status") String status,
            @Bind("at") Instant at,
            @Bind("payload") String payloadJson,
            @Bind("task") String task,
            @BindMethods Teams teams);

    /** An alert stored in an open signal, and whether the signal's job (its digest) was waiting. */
    record Joined(StoredSignal signal, boolean jobWaiting) {}

    /** Maps {@link #joinOpen}. */
    final class JoinedMapper implements RowMapper<Joined> {
        @Override
        public Joined map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Joined(new SignalMapper().map(rs, ctx), rs.getBoolean("job_waiting"));
        }
    }

    @SqlQuery("select * from signal where id = :id")
    Optional<StoredSignal> find(@Bind("id") long id);

    /** Locks the row against another digest; {@code no key update}, so alerts inserted meanwhile (a foreign key) do not wait. */
    @SqlQuery("select * from signal where id = :id for no key update")
    Optional<StoredSignal> lock(@Bind("id") long id);

    /** Serializes the first alerts of one group (key) until the transaction ends, across replicas. */
    @SqlQuery("select 1 from (select pg_advisory_xact_lock(hashtext(:key))) l")
    int lockGroup(@Bind("key") String key);

    @SqlQuery("select * from signal where incident_id = :incidentId order by id")
    List<StoredSignal> forIncident(@Bind("incidentId") long incidentId);

    /**
     * The open incident of the workspaces {@code teams} lets join that a signal about this agent run belongs to.
     * Filtered here, not after: another workspace's newer incident must not hide this one's.
     */
    @SqlQuery("""
            select s.incident_id from signal s join incident i on i.id = s.incident_id
            where s.run_id = :runId and i.phase <> 'CLOSED' and (:everyTeam or i.team_id = any(:teams))
            order by s.id desc limit 1
            """)
    Optional<Long> openIncidentWithRun(@Bind("runId") String runId, @BindMethods Teams teams);

    /**
     * The open incident of the workspaces {@code teams} lets join that a signal about this workflow belongs to, when
     * the signal began since {@code since}.
     */
    @SqlQuery("""
            select s.incident_id from signal s join incident i on i.id = s.incident_id
            where s.workflow = :workflow and s.first_at >= :since and i.phase <> 'CLOSED'
              and (:everyTeam or i.team_id = any(:teams))
            order by s.id desc limit 1
            """)
    Optional<Long> openIncidentWithWorkflowSince(
            @Bind("workflow") String workflow, @Bind("since") Instant since, @BindMethods Teams teams);

    /** Alerts of a signal in all, and how many of them said resolved. */
    @SqlQuery("""
            select count(*) as alerts, count(*) filter (where status = 'resolved') as resolved,
                   max(received_at) as last_at,
                   (select status from signal_alert where signal_id = :id order by received_at desc, id desc limit 1)
                       as last_status
            from signal_alert where signal_id = :id
            """)
    @RegisterRowMapper(CountsMapper.class)
    AlertCounts counts(@Bind("id") long signalId);

    @SqlUpdate("update signal set digested_alerts = :alerts, digested_at = :at where id = :id")
    void digested(@Bind("id") long signalId, @Bind("alerts") int alerts, @Bind("at") Instant at);

    /**
     * Counts one more request from {@code source} in the minute starting at {@code window}, returning the count so far
     * across every session and replica. Each database session counts in a row of its own, so this can run in the
     * transaction that stores the alerts: it locks no row another request needs, and a request refused (rolled back)
     * is not counted.
     */
    @SqlQuery("""
            with mine as (
                insert into signal_rate (source, window_start, backend, requests)
                values (:source, :window, pg_backend_pid(), 1)
                on conflict (source, window_start, backend) do update set requests = signal_rate.requests + 1
                returning requests)
            select (select requests from mine)
                   + coalesce((select sum(requests) from signal_rate
                               where source = :source and window_start = :window and backend <> pg_backend_pid()), 0)
            """)
    int countRequest(@Bind("source") String source, @Bind("window") Instant window);

    /** Forgets up to 500 rate windows older than {@code before}. */
    @SqlUpdate("""
            delete from signal_rate where (source, window_start) in
                (select source, window_start from signal_rate where window_start < :before limit 500)
            """)
    int forgetRatesBefore(@Bind("before") Instant before);

    /** Remembers a signed delivery's answer; false when it was already remembered (a replay). */
    @SqlUpdate("""
            insert into signal_replay (signature, received_at, answer) values (:signature, :at, :answer)
            on conflict (signature) do nothing
            """)
    boolean remember(@Bind("signature") String signature, @Bind("at") Instant at, @Bind("answer") String answer);

    @SqlQuery("select answer from signal_replay where signature = :signature")
    Optional<String> answered(@Bind("signature") String signature);

    @SqlUpdate("""
            delete from signal_replay where signature in
                (select signature from signal_replay where received_at < :before limit 500)
            """)
    int forgetReplaysBefore(@Bind("before") Instant before);

    /** Alerts of a signal, by status. */
    record AlertCounts(int alerts, int resolved, Optional<Instant> lastAt, Optional<String> lastStatus) {}

    /** Maps {@link #counts}. */
    final class CountsMapper implements RowMapper<AlertCounts> {
        @Override
        public AlertCounts map(ResultSet rs, StatementContext ctx) throws SQLException {
            Timestamp last = rs.getTimestamp("last_at");
            return new AlertCounts(
                    rs.getInt("alerts"),
                    rs.getInt("resolved"),
                    Optional.ofNullable(last).map(Timestamp::toInstant),
                    Optional.ofNullable(rs.getString("last_status")));
        }
    }

    /** Maps a row of {@code signal}. */
    final class SignalMapper implements RowMapper<StoredSignal> {
        @Override
        public StoredSignal map(ResultSet rs, StatementContext ctx) throws SQLException {
            Timestamp digested = rs.getTimestamp("digested_at");
            return new StoredSignal(
                    rs.getLong("id"),
                    rs.getLong("incident_id"),
                    rs.getString("source"),
                    rs.getString("group_key"),
                    rs.getString("fingerprint"),
                    rs.getString("title"),
                    Optional.ofNullable(rs.getString("workflow")),
                    Optional.ofNullable(rs.getString("run_id")),
                    Optional.ofNullable(rs.getString("severity")),
                    rs.getString("labels"),
                    rs.getTimestamp("first_at").toInstant(),
                    rs.getInt("digested_alerts"),
                    Optional.ofNullable(digested).map(Timestamp::toInstant));
        }
    }
}
