package io.firebreak.storage.containment;

import java.util.Locale;

/** Where the undo of a containment action run is. */
public enum UndoState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
