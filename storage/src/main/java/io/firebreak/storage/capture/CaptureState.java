package io.firebreak.storage.capture;

import java.util.Locale;

/** How far a request to put a message on an incident's timeline got. */
public enum CaptureState {
    /** Waiting for the capture job to read the message. */
    PENDING,
    /** On the timeline. */
    CAPTURED,
    /** Taken back after it was captured; a retraction event follows the capture event. */
    RETRACTED,
    /** Taken back before it was captured: nothing was added. */
    CANCELLED,
    /** The message could not be read; a new request tries again. */
    FAILED;

    /** Lower-case name, as shown to people and on the timeline. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
