package io.firebreak.storage.containment;

/** What an action's verification request showed after the target accepted the call. */
public enum Verification {
    /** The check shows the action took effect. */
    CONFIRMED,
    /** The check shows it did not. */
    NOT_CONFIRMED,
    /** The check could not run (no answer, an error); the call itself was accepted. */
    NOT_CHECKED,
    /**
     * Firebreak stopped during the call and recorded no answer, and no check could say whether it took effect: it may
     * have been applied. The run is {@code FAILED}; a responder retries it (the same {@code Idempotency-Key}) or undoes it.
     */
    UNKNOWN
}
