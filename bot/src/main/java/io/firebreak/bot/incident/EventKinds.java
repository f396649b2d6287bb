package io.firebreak.bot.incident;

/** The {@code kind} names of timeline events. They are stored and hashed, so never rename one. */
public final class EventKinds {
    public static final String OPENED = "opened";
    /** A run was attached to the incident and its evidence is being fetched. */
    public static final String RUN_ATTACHED = "run_attached";
    /** An attached run is fetched again, for a new snapshot beside the old ones. */
    public static final String EVIDENCE_FETCH_REQUESTED = "evidence_fetch_requested";
    /** A fetch attempt failed in a way worth retrying (backend down, slow or rate limiting). */
    public static final String EVIDENCE_FETCH_RETRYING = "evidence_fetch_retrying";
    /** A run's evidence was stored as a new immutable snapshot. */
    public static final String EVIDENCE_FROZEN = "evidence_frozen";
    /** A fetch ended without evidence (not found, credentials rejected, retries exhausted). */
    public static final String EVIDENCE_FETCH_FAILED = "evidence_fetch_failed";
    /** A person named (or changed) where the incident broke. */
    public static final String FAILURE_POINT_SET = "failure_point_set";

    private EventKinds() {
    }
}
