package io.firebreak.storage.evidence;

import java.time.Instant;
import java.util.Optional;

/**
 * An agent run attached to an incident.
 *
 * @param runId    the run's ID in its backend (a Langfuse trace ID, a LangSmith run ID, an OTel trace ID)
 * @param reportId the user report the run arrived with, if any
 */
public record RunAttachment(
        long id,
        long incidentId,
        String runId,
        TraceSource source,
        String attachedBy,
        Instant attachedAt,
        Optional<String> reportId) {}
