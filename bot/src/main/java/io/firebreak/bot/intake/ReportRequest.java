package io.firebreak.bot.intake;

import io.firebreak.storage.incident.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * A user report as a form posted it, validated.
 *
 * @param reporter an e-mail, a name or a Slack user ID
 * @param form     which form sent it; reports are rate limited per form
 */
public record ReportRequest(
        String description,
        String reporter,
        Optional<String> runId,
        Optional<String> source,
        Optional<String> workflow,
        Optional<Instant> occurredAt,
        Optional<String> customerRef,
        Optional<Severity> severityHint,
        String form) {}
