package io.firebreak.storage.signals;

import java.time.Instant;
import java.util.Optional;

/**
 * A signal as stored: alerts grouped by fingerprint (or by workflow within a window), belonging to one incident.
 *
 * @param groupKey       what its alerts share: {@code <source>:<fingerprint>}
 * @param severity       the severity the source gave, as it gave it (not the incident's)
 * @param labelsJson     the first alert's labels, a JSON object of strings
 * @param digestedAlerts how many alerts the last digest counted
 */
public record StoredSignal(
        long id,
        long incidentId,
        String source,
        String groupKey,
        String fingerprint,
        String title,
        Optional<String> workflow,
        Optional<String> runId,
        Optional<String> severity,
        String labelsJson,
        Instant firstAt,
        int digestedAlerts,
        Optional<Instant> digestedAt) {}
