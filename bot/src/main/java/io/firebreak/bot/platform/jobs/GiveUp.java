package io.firebreak.bot.platform.jobs;

/**
 * What a kind of job does when {@link Jobs} gives it up after too many unexpected failures: whatever waits on the
 * job (an action run, an undo) is settled with the reason, so nothing waits for ever on a job that no longer exists.
 *
 * <p>It runs once, on the thread that gave the job up. It should read and write as little as it can: what made the
 * job fail may still be broken.
 */
@FunctionalInterface
public interface GiveUp {
    /** Nothing waits on the job. */
    GiveUp NOTHING = (instanceId, failures, reason) -> {};

    /**
     * @param failures how many times in a row the job failed
     * @param reason   the last failure, in a few words without secrets
     */
    void gaveUp(String instanceId, int failures, String reason);
}
