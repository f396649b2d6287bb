package io.firebreak.bot.platform.jobs;

/**
 * The work of one kind of durable job. It gets the job's instance id (e.g. an action run's id) and loads
 * everything else from the database, so a job survives restarts without serialized state.
 *
 * <p>Return to finish the job; throw {@link RetryLater} to run it again later. Any other exception is
 * retried with exponential backoff a bounded number of times. A handler may run again after a crash, so it
 * must be idempotent.
 */
@FunctionalInterface
public interface JobHandler {
    void run(String instanceId);
}
