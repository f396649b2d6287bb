package io.firebreak.bot.containment;

import io.firebreak.bot.platform.jobs.JobIds;

/**
 * A change of an action run that responders are told about in the incident's thread. Each is posted by its own
 * durable job ({@link ContainmentService#NOTICE_JOB}, instance {@code <run>:<notice>:<timeline seq>}), enqueued
 * with the change, so a Slack outage delays the message but never the containment.
 */
public enum Notice {
    APPROVAL_REQUESTED,
    APPROVED,
    DENIED,
    EXPIRED,
    SUCCEEDED,
    FAILED,
    UNDONE,
    UNDO_FAILED;

    /**
     * One notice job: {@code notice} of run {@code runId}, after the timeline event {@code seq}.
     */
    public record Of(String runId, Notice notice, int seq) {
        /** The job instance id, {@code <run>:<notice>:<seq>}. */
        public String instanceId() {
            return JobIds.join(runId, notice.name(), seq);
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static Of parse(String instanceId) {
            String[] parts = JobIds.split(instanceId, 3);
            return new Of(parts[0], Notice.valueOf(parts[1]), Integer.parseInt(parts[2]));
        }
    }
}
