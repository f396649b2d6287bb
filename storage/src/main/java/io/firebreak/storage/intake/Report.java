package io.firebreak.storage.intake;

import io.firebreak.storage.incident.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * A user report as stored.
 *
 * @param form           which form sent it
 * @param joinedExisting true when triage joined it to an incident that was already open
 */
public record Report(
        long id,
        long incidentId,
        String description,
        String reporter,
        Optional<String> runId,
        Optional<String> source,
        Optional<String> workflow,
        Optional<Instant> occurredAt,
        Optional<String> customerRef,
        Optional<Severity> severityHint,
        String form,
        Instant receivedAt,
        boolean joinedExisting) {

    /** The name people use for a report: {@code RPT-<id>}. */
    public String key() {
        return "RPT-" + id;
    }
}
