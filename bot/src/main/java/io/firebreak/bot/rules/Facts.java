package io.firebreak.bot.rules;

import java.util.Map;
import java.util.Optional;

/**
 * What a rule is matched against: a new signal's first alert, or a user report.
 *
 * @param source   the signal source's name, or {@link #REPORTS}
 * @param severity the alert's severity as its source wrote it
 */
public record Facts(
        String source,
        Map<String, String> labels,
        Optional<String> severity,
        Optional<String> workflow,
        Optional<String> runId) {
    /** The source name of user reports. */
    public static final String REPORTS = "reports";

    public Facts {
        labels = Map.copyOf(labels);
    }

    public static Facts report(Optional<String> workflow, Optional<String> runId) {
        return new Facts(REPORTS, Map.of(), Optional.empty(), workflow, runId);
    }

    public boolean fromReport() {
        return source.equals(REPORTS);
    }
}
