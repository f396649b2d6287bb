package io.firebreak.storage.incident;

import java.util.Optional;

/**
 * What is known when an incident is opened.
 *
 * @param teamId       the Slack workspace it belongs to ({@code ''}: the single workspace of single-token mode)
 * @param enterpriseId its Enterprise Grid org, if any
 */
public record NewIncident(
        String title,
        Optional<Severity> severity,
        String commander,
        String reporter,
        String source,
        Optional<String> originChannel,
        String teamId,
        Optional<String> enterpriseId) {

    /** In the single workspace of single-token mode. */
    public NewIncident(
            String title,
            Optional<Severity> severity,
            String commander,
            String reporter,
            String source,
            Optional<String> originChannel) {
        this(title, severity, commander, reporter, source, originChannel, "", Optional.empty());
    }
}
