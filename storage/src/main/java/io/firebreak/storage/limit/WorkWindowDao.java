package io.firebreak.storage.limit;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code work_window}: fixed one-minute windows counting the changes a subject started. */
public interface WorkWindowDao {
    /**
     * Counts one more change for {@code subject} in the window starting at {@code windowStart}, unless it already has
     * {@code limit}: returns the new count, or empty (and changes nothing) when the limit is reached. One statement,
     * so concurrent replicas never both take the last place.
     */
    @SqlQuery("insert into work_window as w (subject, window_start, count) values (:subject, :windowStart, 1)"
            + " on conflict (subject, window_start) do update set count = w.count + 1 where w.count < :limit"
            + " returning count")
    Optional<Integer> take(
            @Bind("subject") String subject, @Bind("windowStart") Instant windowStart, @Bind("limit") int limit);

    /** The count of {@code subject} in the window starting at {@code windowStart}; 0 when it has none. */
    @SqlQuery("select coalesce((select count from work_window where subject = :subject"
            + " and window_start = :windowStart), 0)")
    int count(@Bind("subject") String subject, @Bind("windowStart") Instant windowStart);

    /** Forgets {@code subject}'s windows before {@code windowStart}. */
    @SqlUpdate("delete from work_window where subject = :subject and window_start < :windowStart")
    void forgetBefore(@Bind("subject") String subject, @Bind("windowStart") Instant windowStart);
}
