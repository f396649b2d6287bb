package io.firebreak.storage.limit;

import io.firebreak.storage.Storage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * SQL for {@code work_window}: fixed one-minute windows counting the changes a subject started. Every Slack request
 * that changes something counts here, so the count is sent as plain JDBC: through Jdbi's statement machinery it cost
 * the ack about as much CPU as the open it let through.
 */
public final class WorkWindows {
    private WorkWindows() {}

    /**
     * What {@link #takeBoth} counted: each subject's new count, 0 where its limit refused it. The second subject is
     * counted only when the first was (0 otherwise), and is 0 when there is none.
     */
    public record Taken(int first, int second) {}

    private static final String TAKE_BOTH = """
            with f as (
              insert into work_window as w (subject, window_start, count) values (?, ?, 1)
              on conflict (subject, window_start) do update set count = w.count + 1 where w.count < ?
              returning count),
            s as (
              insert into work_window as w (subject, window_start, count)
              select cast(? as text), ?, 1 from f where cast(? as text) is not null
              on conflict (subject, window_start) do update set count = w.count + 1 where w.count < ?
              returning count),
            old as (
              delete from work_window where window_start < ?
                and (subject = ? and exists (select 1 from f where count = 1)
                     or subject = ? and exists (select 1 from s where count = 1)))
            select coalesce((select count from f), 0), coalesce((select count from s), 0)
            """;

    /**
     * Counts one more change for {@code first} and, only if that was within {@code firstLimit}, for {@code second}
     * (when not null) within {@code secondLimit}, in the window starting at {@code windowStart}; and forgets the older
     * windows of a subject whose window this starts. One statement: run it on its own
     * ({@link Storage#inStatement}), so the rows it counts in stay locked only while it runs (every request of one
     * workspace counts in the same row). When the second refuses, give the first's count back ({@link #giveBack}).
     */
    public static Taken takeBoth(
            Storage.Tx tx, String first, int firstLimit, String second, int secondLimit, Instant windowStart) {
        OffsetDateTime window = OffsetDateTime.ofInstant(windowStart, ZoneOffset.UTC);
        try (PreparedStatement take = tx.handle().getConnection().prepareStatement(TAKE_BOTH)) {
            int i = 0;
            take.setString(++i, first);
            take.setObject(++i, window);
            take.setInt(++i, firstLimit);
            take.setString(++i, second);
            take.setObject(++i, window);
            take.setString(++i, second);
            take.setInt(++i, secondLimit);
            take.setObject(++i, window);
            take.setString(++i, first);
            take.setString(++i, second);
            tx.writing();
            try (ResultSet rs = take.executeQuery()) {
                rs.next();
                return new Taken(rs.getInt(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Takes back one change counted for {@code subject} in the window starting at {@code windowStart}. */
    public static void giveBack(Storage.Tx tx, String subject, Instant windowStart) {
        tx.handle()
                .createUpdate(
                        "update work_window set count = count - 1 where subject = :subject and window_start = :window")
                .bind("subject", subject)
                .bind("window", windowStart)
                .execute();
    }
}
