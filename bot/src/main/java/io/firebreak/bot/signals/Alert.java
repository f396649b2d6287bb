package io.firebreak.bot.signals;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert read from a notification: what groups it, what it is about, and the alert as sent.
 *
 * @param fingerprint what the source uses to say "the same alert" (or a hash of its labels when it says nothing)
 * @param severity    the severity as the source wrote it ({@code critical}, {@code P1}): matched by rules, never applied
 * @param labels      the alert's labels (tags), by name
 * @param payload     the alert's own JSON text, stored as received
 */
public record Alert(
        String fingerprint,
        boolean resolved,
        String title,
        Optional<String> severity,
        Optional<String> workflow,
        Optional<String> runId,
        Map<String, String> labels,
        String payload) {
    public Alert {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public String status() {
        return resolved ? "resolved" : "firing";
    }
}
