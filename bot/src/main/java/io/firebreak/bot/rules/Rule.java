package io.firebreak.bot.rules;

import io.firebreak.storage.incident.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rule of {@code manifests/rules.yml}: when a signal or a user report matches {@link When}, do {@link Then}.
 *
 * @param dryRun      {@code mode: dry-run}: record what would have been done, do and send nothing
 * @param autoContain {@code auto_contain: true}: the rule may fire its containment actions (pre-approved at its severity)
 */
public record Rule(String id, String description, boolean dryRun, boolean autoContain, When when, Then then) {

    /**
     * What must all hold. Empty parts match anything.
     *
     * @param source     a signal source's name, or {@code reports} for user reports
     * @param labels     labels the alert must carry with exactly these values
     * @param severities the alert's severity as its source wrote it, any of these (case-insensitive)
     * @param workflow   the workflow; {@code *} means any, but there must be one
     * @param reports    at least this many user reports about the workflow within the window
     */
    public record When(
            Optional<String> source,
            Map<String, String> labels,
            List<String> severities,
            Optional<String> workflow,
            Optional<ReportCount> reports) {
        public When {
            labels = Map.copyOf(labels);
            severities = List.copyOf(severities);
        }
    }

    /** At least {@code atLeast} reports within {@code within}. */
    public record ReportCount(int atLeast, Duration within) {}

    /**
     * What the rule does, each at most once per incident and target.
     *
     * @param severity the incident's severity, set when nobody has assessed it (never over a person's assessment)
     * @param page     services to page
     * @param post     channels to post the incident to
     * @param contain  containment actions to fire
     */
    public record Then(Optional<Severity> severity, List<String> page, List<String> post, List<Contain> contain) {
        public Then {
            page = List.copyOf(page);
            post = List.copyOf(post);
            contain = List.copyOf(contain);
        }
    }

    /** A containment action and its parameters; values may use {@code {workflow}}, {@code {run_id}}, {@code {incident}}. */
    public record Contain(String action, Map<String, String> parameters) {
        public Contain {
            parameters = Map.copyOf(parameters);
        }
    }
}
