package io.firebreak.storage.incident;

import java.util.Locale;
import java.util.Optional;

/** How bad an incident is, judged by its impact, never by how embarrassing the output looks. */
public enum Severity {
    /** Incorrect or low-quality output caught before user impact. */
    LOW,
    /** User-visible issue with limited impact and a clear correction path. */
    MEDIUM,
    /** Financial, legal, security, privacy or safety-sensitive impact. */
    HIGH,
    /** Active broad impact, or irreversible actions requiring immediate shutdown. */
    CRITICAL;

    /** Parses a severity name in any case, e.g. {@code high}. */
    public static Optional<Severity> parse(String text) {
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Lower-case name as people type it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
