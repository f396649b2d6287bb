package io.firebreak.storage.signals;

import io.firebreak.storage.incident.Teams;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * A storm's usual request (one alert, nothing to tell a replay by) in one statement, run on its own (autocommit): one
 * round trip and one commit, as a bare one-INSERT app pays. Finds the alert's open signal as {@link SignalDao#openFor}
 * does and, when there is one and the source is under its limit for the minute, counts the request (this session's row,
 * as {@link SignalDao#countRequest} does) and stores the alert in it. Plain JDBC: on this path Jdbi's binding, mapping
 * and SqlObject dispatch cost more CPU than the statement itself (a profile of {@code bench/signals}).
 */
public final class StormJoin {
    static final String SQL = "with found as ("
            + SignalDao.OPEN_FOR
                    .replace(":source", "?::text")
                    .replace(":fingerprint", "?::text")
                    .replace(":workflow", "?::text")
                    .replace(":since", "?::timestamptz")
                    .replace(":everyTeam", "?::boolean")
                    .replace(":teams", "?::text[]")
            + """
            ),
            args as (select ?::text as source, ?::timestamptz as window_start, ?::int as lim, ?::text as fingerprint,
                            ?::text as status, ?::timestamptz as at, ?::jsonb as payload, ?::text as task),
            rate as (
                select coalesce(sum(r.requests), 0) as requests from signal_rate r, args
                where r.source = args.source and r.window_start = args.window_start),
            counted as (
                insert into signal_rate (source, window_start, backend, requests)
                select args.source, args.window_start, pg_backend_pid(), 1 from args, rate, found
                where rate.requests < args.lim
                on conflict (source, window_start, backend) do update set requests = signal_rate.requests + 1
                returning requests),
            stored as (
                insert into signal_alert (signal_id, source, fingerprint, status, received_at, payload)
                select f.id, args.source, args.fingerprint, args.status, args.at, args.payload
                from found f, args, counted
                returning signal_id)
            select r.requests as counted_before, exists (select 1 from stored) as stored, f.*,
                   f.id is not null and exists (select 1 from scheduled_tasks t, args
                                                where t.task_name = args.task and not t.picked
                                                  and starts_with(t.task_instance, f.id || ':')) as job_waiting
            from rate r left join found f on true
            """;

    private StormJoin() {}

    /**
     * What it did: the source's requests counted this minute before this one; the open signal the alert was stored in,
     * absent when nothing was stored (none was open, or the source was at its limit).
     */
    public record Done(int countedBefore, Optional<SignalDao.Joined> joined) {}

    /**
     * Runs the statement on {@code connection} (in autocommit, it commits on its own); a failure is thrown as Jdbi's.
     *
     * @param teams  the workspaces whose incidents the alert may join (its source's)
     * @param since  how recent the workflow's signal must be to join it (the grouping window's start)
     * @param window the start of the minute the request is counted in
     * @param limit  the source's requests a minute
     * @param task   the digest job's task name, to say whether the signal's digest is waiting
     */
    public static Done countAndJoinOpen(
            Connection connection,
            String source,
            String fingerprint,
            Optional<String> workflow,
            Teams teams,
            Instant since,
            Instant window,
            int limit,
            String status,
            Instant at,
            String payloadJson,
            String task) {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            int i = 0;
            // OPEN_FOR's parameters in the order they appear: source, fingerprint, everyTeam, teams, source,
            // workflow, everyTeam, teams, since, since.
            // Instants go as ISO-8601 text into the SQL's ::timestamptz casts: an OffsetDateTime parameter makes the
            // driver build a calendar for every statement, a few percent of this path's CPU.
            Array teamIds = connection.createArrayOf("text", teams.teams());
            statement.setString(++i, source);
            statement.setString(++i, fingerprint);
            statement.setBoolean(++i, teams.everyTeam());
            statement.setArray(++i, teamIds);
            statement.setString(++i, source);
            if (workflow.isPresent()) {
                statement.setString(++i, workflow.get());
            } else {
                statement.setNull(++i, Types.VARCHAR);
            }
            statement.setBoolean(++i, teams.everyTeam());
            statement.setArray(++i, teamIds);
            statement.setString(++i, since.toString());
            statement.setString(++i, since.toString());
            statement.setString(++i, source);
            statement.setString(++i, window.toString());
            statement.setInt(++i, limit);
            statement.setString(++i, fingerprint);
            statement.setString(++i, status);
            statement.setString(++i, at.toString());
            statement.setString(++i, payloadJson);
            statement.setString(++i, task);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                int before = rs.getInt("counted_before");
                if (!rs.getBoolean("stored")) {
                    return new Done(before, Optional.empty());
                }
                return new Done(
                        before,
                        Optional.of(new SignalDao.Joined(
                                new SignalDao.SignalMapper().map(rs, null), rs.getBoolean("job_waiting"))));
            }
        } catch (SQLException e) {
            // As Jdbi reports a failed statement, so callers tell an unreachable database the same way (Database).
            throw new UnableToExecuteStatementException(e, null);
        }
    }
}
