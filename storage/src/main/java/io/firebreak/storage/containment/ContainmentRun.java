package io.firebreak.storage.containment;

import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One firing of a containment action on an incident, as stored.
 *
 * @param id          also the durable job's instance id and the {@code Idempotency-Key} of the call
 * @param action      the catalog action's id, e.g. {@code pause-workflow}
 * @param parameters  the values given, in the catalog's order
 * @param severity    the incident's severity when it was asked for; empty when not assessed
 */
public record ContainmentRun(
        String id,
        long incidentId,
        String action,
        Map<String, String> parameters,
        String reason,
        RunState state,
        String requestedBy,
        Instant requestedAt,
        Optional<Severity> severity,
        Approval approval,
        Execution execution,
        Optional<Undo> undo,
        Optional<SlackMessage> outcomeMessage) {

    public IncidentKey incident() {
        return new IncidentKey(incidentId);
    }

    /** In effect, or accepted (or maybe applied) but not shown to have worked: an undo call may be needed. */
    public boolean undoable() {
        return state == RunState.SUCCEEDED
                || (state == RunState.FAILED && execution.verification().orElse(null) == Verification.NOT_CONFIRMED)
                || unknown();
    }

    /** Cut short by a stop during its call with nothing to tell whether it took effect: it may have been applied. */
    public boolean unknown() {
        return state == RunState.FAILED && execution.verification().orElse(null) == Verification.UNKNOWN;
    }

    /**
     * The approval, when one was needed.
     *
     * @param decidedBy who approved or denied it
     * @param message   the approval request posted to Slack, to update once decided
     */
    public record Approval(
            boolean needed,
            Optional<Instant> expiresAt,
            Optional<String> decidedBy,
            Optional<Instant> decidedAt,
            Optional<SlackMessage> message) {}

    /**
     * The calls made so far.
     *
     * @param attempts      calls of the action request made (a retry counts again)
     * @param nextAttemptAt when the next retry is due, while waiting for one
     * @param outcome       what happened, in words a responder understands
     * @param captured      values read from the target before firing, kept for the undo call
     */
    public record Execution(
            int attempts,
            Optional<Instant> startedAt,
            Optional<Instant> nextAttemptAt,
            Optional<Instant> finishedAt,
            Optional<String> outcome,
            Optional<Verification> verification,
            Map<String, String> captured) {}

    /**
     * The undo, once asked for.
     *
     * @param requests how many times an undo was asked for (a failed undo may be asked for again)
     */
    public record Undo(
            UndoState state,
            String requestedBy,
            String reason,
            Instant requestedAt,
            int requests,
            int attempts,
            Optional<Instant> finishedAt,
            Optional<String> outcome) {}

    /** A Slack message: where it is and its {@code ts}. */
    public record SlackMessage(String channel, String ts) {}
}
