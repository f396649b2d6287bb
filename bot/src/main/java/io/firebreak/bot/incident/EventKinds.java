package io.firebreak.bot.incident;

/** The {@code kind} names of timeline events. They are stored and hashed, so never rename one. */
public final class EventKinds {
    public static final String OPENED = "opened";
    public static final String ASSESSED = "assessed";
    public static final String SEVERITY_CHANGED = "severity_changed";
    public static final String PHASE_CHANGED = "phase_changed";
    public static final String COMMANDER_CHANGED = "commander_changed";
    public static final String NOTE = "note";
    public static final String CHANNEL_CREATED = "channel_created";
    public static final String CHANNEL_FAILED = "channel_failed";
    public static final String REPORT_RECEIVED = "report_received";
    public static final String HANDOFF_OFFERED = "handoff_offered";
    public static final String HANDOFF_ACCEPTED = "handoff_accepted";
    public static final String CORRECTION_RECORDED = "correction_recorded";
    public static final String FOLLOW_UP_ADDED = "follow_up_added";
    public static final String POSTMORTEM_POSTED = "postmortem_posted";
    public static final String DATASET_PUSHED = "dataset_pushed";
    public static final String DATASET_PUSH_FAILED = "dataset_push_failed";
    /** A chat message put on the timeline (by a pin reaction or the message shortcut). */
    public static final String MESSAGE_CAPTURED = "message_captured";
    /** A captured message taken back (its pin was removed); the capture event itself stays. */
    public static final String MESSAGE_RETRACTED = "message_retracted";
    /** A retracted message put back on the timeline (pinned again). */
    public static final String MESSAGE_RESTORED = "message_restored";

    // Containment: an action asked for, decided on, called (every request and response), and its outcome.
    public static final String CONTAINMENT_REQUESTED = "containment_requested";
    public static final String CONTAINMENT_APPROVED = "containment_approved";
    public static final String CONTAINMENT_DENIED = "containment_denied";
    public static final String CONTAINMENT_EXPIRED = "containment_approval_expired";
    public static final String CONTAINMENT_CALL = "containment_call";
    public static final String CONTAINMENT_SUCCEEDED = "containment_succeeded";
    public static final String CONTAINMENT_FAILED = "containment_failed";
    public static final String CONTAINMENT_UNDO_REQUESTED = "containment_undo_requested";
    /** A responder sent again a run whose outcome was unknown (Firebreak stopped during its call). */
    public static final String CONTAINMENT_RETRIED = "containment_retried";

    public static final String CONTAINMENT_UNDONE = "containment_undone";
    public static final String CONTAINMENT_UNDO_FAILED = "containment_undo_failed";
    public static final String CONTAINMENT_KEPT = "containment_kept";
    /** The incident relies on a containment another incident fired on the same target (details: run, incident). */
    public static final String CONTAINMENT_LINKED = "containment_linked";
    /** A run was attached to the incident and its evidence is being fetched. */
    public static final String RUN_ATTACHED = "run_attached";
    /** An attached run is fetched again, for a new snapshot beside the old ones. */
    public static final String EVIDENCE_FETCH_REQUESTED = "evidence_fetch_requested";
    /** A fetch attempt failed in a way worth retrying (backend down, slow or rate limiting). */
    public static final String EVIDENCE_FETCH_RETRYING = "evidence_fetch_retrying";
    /** A run's evidence was stored as a new immutable snapshot. */
    public static final String EVIDENCE_FROZEN = "evidence_frozen";
    /** A fetch returned exactly the bytes of the run's latest snapshot: nothing new was stored. */
    public static final String EVIDENCE_RECHECKED = "evidence_rechecked";
    /** A fetch ended without evidence (not found, credentials rejected, retries exhausted). */
    public static final String EVIDENCE_FETCH_FAILED = "evidence_fetch_failed";
    /** A person named (or changed) where the incident broke. */
    public static final String FAILURE_POINT_SET = "failure_point_set";

    // Signals and rules.
    /** The first alert of a signal (details: source, signal, title, status, labels, workflow, run_id). */
    public static final String SIGNAL_RECEIVED = "signal_received";
    /** A signal's alerts since the last entry, counted: at most one per signal per digest interval. */
    public static final String SIGNAL_UPDATED = "signal_updated";
    /** A rule matched and acted (details: rule, ref, outcomes). */
    public static final String RULE_MATCHED = "rule_matched";
    /** A rule in {@code mode: dry-run} matched: what it would have done; nothing was done or sent. */
    public static final String RULE_DRY_RUN = "rule_dry_run";
    /** A rule matched but did not act (paused, a severity a person set, a missing parameter): why. */
    public static final String RULE_SKIPPED = "rule_skipped";
    /** A rule asked for a service to be paged. */
    public static final String PAGE_REQUESTED = "page_requested";

    /** Firebreak was uninstalled from the incident's workspace (details: team, text); the incident is kept. */
    public static final String WORKSPACE_REMOVED = "workspace_removed";

    private EventKinds() {}
}
