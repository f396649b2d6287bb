package io.firebreak.bot.incident;

/** The {@code kind} names of timeline events. They are stored and hashed, so never rename one. */
public final class EventKinds {
    public static final String OPENED = "opened";
    public static final String PHASE_CHANGED = "phase_changed";

    // Containment: an action asked for, decided on, called (every request and response), and its outcome.
    public static final String CONTAINMENT_REQUESTED = "containment_requested";
    public static final String CONTAINMENT_APPROVED = "containment_approved";
    public static final String CONTAINMENT_DENIED = "containment_denied";
    public static final String CONTAINMENT_EXPIRED = "containment_approval_expired";
    public static final String CONTAINMENT_CALL = "containment_call";
    public static final String CONTAINMENT_SUCCEEDED = "containment_succeeded";
    public static final String CONTAINMENT_FAILED = "containment_failed";
    public static final String CONTAINMENT_UNDO_REQUESTED = "containment_undo_requested";
    public static final String CONTAINMENT_UNDONE = "containment_undone";
    public static final String CONTAINMENT_UNDO_FAILED = "containment_undo_failed";

    private EventKinds() {
    }
}
