package io.firebreak.storage.incident;

import java.util.Locale;
import java.util.Optional;

/** Where an incident is in the playbook: detect, contain, investigate, correct, resolve, close. */
public enum Phase {
    DETECTED,
    CONTAINED,
    INVESTIGATING,
    CORRECTING,
    RESOLVED,
    CLOSED;

    public static Optional<Phase> parse(String text) {
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isOpen() {
        return this != CLOSED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
