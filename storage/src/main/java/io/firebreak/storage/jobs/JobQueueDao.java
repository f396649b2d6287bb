package io.firebreak.storage.jobs;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Enqueues durable jobs inside the caller's transaction, so a job exists exactly when the record it works on
 * was committed. The scheduler in the bot picks them up.
 */
public interface JobQueueDao {
    /** The priority of most jobs. */
    int NORMAL = 0;
    /** Jobs run before every due {@link #NORMAL} one: calls that contain an agent must not wait behind card updates. */
    int URGENT = 10;

    /**
     * Adds job {@code instance} of {@code task} due at {@code at}, at {@link #NORMAL} priority. Returns false, changing
     * nothing, when that job already exists: enqueueing the same job twice (a double click, a retried request) runs it
     * once.
     */
    default boolean enqueue(String task, String instance, Instant at) {
        return enqueue(task, instance, at, NORMAL);
    }

    /** As {@link #enqueue(String, String, Instant)}, at {@code priority}: due jobs run highest priority first. */
    @SqlUpdate("""
            insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
            values (:task, :instance, null, :at, false, 1, :priority)
            on conflict (task_name, task_instance) do nothing
            """)
    boolean enqueue(
            @Bind("task") String task,
            @Bind("instance") String instance,
            @Bind("at") Instant at,
            @Bind("priority") int priority);

    /**
     * Adds job {@code instance} of {@code task} due at {@code at} unless a job of {@code task} whose instance starts with
     * {@code prefix} is waiting (not yet picked, or waiting for its retry): that job will do the same work, reading the
     * state when it runs. A job already running may have read the state before this change, so it does not count.
     * Returns false when nothing was added.
     */
    @SqlUpdate("""
            insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
            select :task, :instance, null, :at, false, 1, 0
            where not exists (select 1 from scheduled_tasks where task_name = :task and not picked
                              and starts_with(task_instance, :prefix))
            on conflict (task_name, task_instance) do nothing
            """)
    boolean enqueueUnlessWaiting(
            @Bind("task") String task,
            @Bind("instance") String instance,
            @Bind("prefix") String prefix,
            @Bind("at") Instant at);

    /**
     * True when a job of {@code task} other than {@code instance}, whose instance starts with {@code prefix}, is
     * waiting (not picked): a job about to retry can leave the work to it instead of waiting beside it.
     */
    @SqlQuery("""
            select exists (select 1 from scheduled_tasks where task_name = :task and not picked
                           and starts_with(task_instance, :prefix) and task_instance <> :instance)
            """)
    boolean anotherWaiting(@Bind("task") String task, @Bind("prefix") String prefix, @Bind("instance") String instance);

    /** Jobs waiting or running. */
    @SqlQuery("select count(*) from scheduled_tasks")
    long depth();

    /** When the longest-waiting due job became due, if any is waiting. */
    @SqlQuery("select min(execution_time) from scheduled_tasks where not picked and execution_time <= now()")
    Optional<Instant> oldestDue();
}
