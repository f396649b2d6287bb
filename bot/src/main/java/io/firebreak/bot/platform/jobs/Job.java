package io.firebreak.bot.platform.jobs;

/**
 * One kind of durable job: its task name (stable: queued jobs keep it, so never rename one), what runs it, and
 * what settles whatever waits on it when the job is given up.
 */
public record Job(String task, JobHandler handler, GiveUp onGiveUp) {
    /** A job nothing waits on when it is given up. */
    public Job(String task, JobHandler handler) {
        this(task, handler, GiveUp.NOTHING);
    }
}
