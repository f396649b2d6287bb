package io.firebreak.storage.containment;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known when a containment action is asked for.
 *
 * @param parametersJson the parameter values as a JSON object
 * @param targetKey      the action and its parameters as one canonical text
 * @param requestKey     the Slack request that asked for it, so a retried request finds this run
 */
public record NewContainmentRun(
        String id,
        long incidentId,
        String action,
        String parametersJson,
        String targetKey,
        String reason,
        Optional<String> requestKey,
        RunState state,
        String requestedBy,
        Instant requestedAt,
        Optional<String> severity,
        boolean needsApproval,
        Optional<Instant> approvalExpiresAt) {}
