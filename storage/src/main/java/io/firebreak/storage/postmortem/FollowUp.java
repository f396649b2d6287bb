package io.firebreak.storage.postmortem;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Something the incident must produce. A regression case carries the failing run's input and bad output
 * (JSON text), the expected behaviour a person wrote, the failure point and tags.
 */
public record FollowUp(
        long id,
        long incidentId,
        Kind kind,
        String text,
        Optional<String> owner,
        Optional<String> sourceRunId,
        Optional<String> input,
        Optional<String> badOutput,
        Optional<String> expectedBehavior,
        Optional<String> failurePoint,
        List<String> tags,
        String createdBy,
        Instant createdAt,
        Optional<Instant> pushedAt,
        Optional<String> pushError) {

    /** Kinds of follow-up; the first three are required before closing. */
    public enum Kind {
        REGRESSION_CASE,
        OWNER,
        VERIFICATION_CHECK,
        VALIDATION,
        OTHER
    }

    /** The name people use: {@code REG-<id>} for regression cases, {@code FU-<id>} for the rest. */
    public String key() {
        return (kind == Kind.REGRESSION_CASE ? "REG-" : "FU-") + id;
    }
}
