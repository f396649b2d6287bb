package io.firebreak.storage.containment;

import java.util.Locale;

/** Where a containment action run is: waiting for an approver, waiting to run, running, or done. */
public enum RunState {
    /** Below its pre-approved severity: waits for an approver's click. */
    PENDING_APPROVAL,
    /** An approver refused it. */
    DENIED,
    /** Nobody approved it in time. */
    EXPIRED,
    /** Waiting for its job to run (first attempt or a retry). */
    QUEUED,
    /** The call is being made. */
    RUNNING,
    /** The target accepted the call: the containment is in effect. */
    SUCCEEDED,
    /** The target refused it, never answered within the retries, or the check showed it did not take effect. */
    FAILED,
    /** The undo call succeeded: the containment is lifted. */
    UNDONE;

    /** Waiting, running or in effect: such a run blocks firing the same action on the same target again. */
    public boolean live() {
        return this == PENDING_APPROVAL || this == QUEUED || this == RUNNING || this == SUCCEEDED;
    }

    /** E.g. {@code pending approval}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
