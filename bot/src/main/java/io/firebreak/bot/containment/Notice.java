package io.firebreak.bot.containment;

/**
 * A change of an action run that responders are told about in the incident's thread. Each is posted by its own
 * durable job ({@link ContainmentService#NOTICE_JOB}, instance {@code <run>:<notice>:<timeline seq>}), enqueued
 * with the change, so a Slack outage delays the message but never the containment.
 */
public enum Notice {
    APPROVAL_REQUESTED, APPROVED, DENIED, EXPIRED, SUCCEEDED, FAILED, UNDONE, UNDO_FAILED;

    /** The job instance id announcing this notice of {@code runId}, after the timeline event {@code seq}. */
    public String instance(String runId, int seq) {
        return runId + ":" + name() + ":" + seq;
    }

    /** The run and notice of a notice job's instance id. */
    public record Of(String runId, Notice notice) {
        public static Of parse(String instanceId) {
            String[] parts = instanceId.split(":");
            return new Of(parts[0], Notice.valueOf(parts[1]));
        }
    }
}
