package io.firebreak.bot.platform.jobs;

/**
 * One kind of durable job: its task name (stable: queued jobs keep it, so never rename one) and what runs it.
 */
public record Job(String task, JobHandler handler) {
}
