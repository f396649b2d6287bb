package io.firebreak.storage.containment;

/** What an action's verification request showed after the target accepted the call. */
public enum Verification {
    /** The check shows the action took effect. */
    CONFIRMED,
    /** The check shows it did not. */
    NOT_CONFIRMED,
    /** The check could not run (no answer, an error); the call itself was accepted. */
    NOT_CHECKED
}
