package io.firebreak.storage.postmortem;

import java.time.Instant;
import java.util.Optional;

/** A recorded correction: what changed, its new version, the evaluation that verified it, and its rollout. */
public record Correction(
        long id,
        long incidentId,
        WhatChanged whatChanged,
        Optional<String> description,
        String newVersion,
        Optional<String> evalName,
        Optional<String> evalLink,
        EvalResult evalResult,
        Rollout rollout,
        String recordedBy,
        Instant recordedAt) {

    /** What the correction changed. */
    public enum WhatChanged {
        PROMPT,
        WORKFLOW,
        TOOL_VALIDATION,
        RETRIEVAL,
        ROUTING_POLICY,
        APPROVAL_VIEW,
        KNOWLEDGE_SOURCE,
        OTHER
    }

    /** What the verifying evaluation said. */
    public enum EvalResult {
        PASSED,
        FAILED,
        NOT_RUN
    }

    /** How far the correction is rolled out. */
    public enum Rollout {
        PLANNED,
        IN_PROGRESS,
        COMPLETE,
        ROLLED_BACK
    }
}
