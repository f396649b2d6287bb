package io.firebreak.storage.capture;

import java.util.Locale;

/** How someone asked for a message to be captured. */
public enum CaptureMethod {
    /** A pin reaction on the message, in the incident's channel. */
    REACTION,
    /** The message shortcut, from any channel. */
    SHORTCUT;

    /** Lower-case name, as shown to people and on the timeline. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
