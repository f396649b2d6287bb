package io.firebreak.bot.testing;

import java.time.Duration;

/**
 * The bot's durable job queue (db-scheduler's {@code scheduled_tasks}), for tests that show something did
 * <em>not</em> happen: instead of sleeping "long enough", they wait until the work that could do it is done.
 */
public final class JobQueue {
    /** Jobs due within this much from now count as pending: a fixed sleep used to cover what they would do. */
    static final Duration HORIZON = Duration.ofSeconds(2);

    private JobQueue() {}

    /**
     * Waits until no job is running, due, or due within the next two seconds on {@code bot}'s database, so that
     * everything already asked of the bot (calls to Slack and to agents, retries, follow-up jobs) has happened and
     * nothing is about to. Jobs enqueue their follow-ups before they finish, so the queue is never empty in between.
     * Needs a replica that runs jobs.
     */
    public static void awaitSettled(TestBot bot) {
        Await.until("the bot's jobs to finish", () -> pending(bot) == 0);
    }

    /** How many jobs are running, due, or due within {@link #HORIZON}. */
    public static long pending(TestBot bot) {
        return bot.count(
                "select count(*) from scheduled_tasks where picked or execution_time <= now() + make_interval(secs => ?)",
                (double) HORIZON.toSeconds());
    }
}
