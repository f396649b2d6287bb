package io.firebreak.bot.containment.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.incident.Incident;
import java.time.Instant;
import java.util.Optional;

/**
 * The action runs of an incident for the read API ({@code GET /api/incidents/{key}}, under {@code action_runs}):
 * snake_case names, ISO-8601 UTC times, {@code null} for what is not set.
 */
public final class ContainmentJson implements io.firebreak.bot.web.ApiExtension {
    private final ContainmentService containment;
    private final ObjectMapper mapper;

    public ContainmentJson(ContainmentService containment, ObjectMapper mapper) {
        this.containment = containment;
        this.mapper = mapper;
    }

    /** Adds {@code action_runs}, oldest first, to {@code incidentJson}. */
    @Override
    public void addTo(ObjectNode incidentJson, Incident incident) {
        ArrayNode runs = incidentJson.putArray("action_runs");
        containment.runs(incident.key()).forEach(run -> runs.add(run(run)));
    }

    ObjectNode run(ContainmentRun run) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", run.id());
        node.put("action", run.action());
        node.put("title", containment.title(run));
        node.set("parameters", mapper.valueToTree(run.parameters()));
        node.put("reason", run.reason());
        node.put("state", run.state().name());
        node.put("requested_by", run.requestedBy());
        node.put("requested_at", run.requestedAt().toString());
        node.put("severity_at_request", run.severity().map(Enum::name).orElse(null));
        boolean denied = run.state() == RunState.DENIED;
        node.put("approved_by", denied ? null : run.approval().decidedBy().orElse(null));
        ObjectNode approval = node.putObject("approval");
        approval.put("needed", run.approval().needed());
        approval.put("expires_at", time(run.approval().expiresAt()));
        approval.put(
                "decision",
                run.approval().decidedBy().isPresent()
                        ? (denied ? "denied" : "approved")
                        : run.state() == RunState.EXPIRED ? "expired" : null);
        approval.put("decided_by", run.approval().decidedBy().orElse(null));
        approval.put("decided_at", time(run.approval().decidedAt()));
        ContainmentRun.Execution execution = run.execution();
        node.put("attempts", execution.attempts());
        node.put("started_at", time(execution.startedAt()));
        node.put("next_attempt_at", time(execution.nextAttemptAt()));
        node.put("finished_at", time(execution.finishedAt()));
        node.put("outcome", execution.outcome().orElse(null));
        node.put("verification", execution.verification().map(Enum::name).orElse(null));
        node.set("kept_for_undo", mapper.valueToTree(execution.captured()));
        run.undo()
                .ifPresentOrElse(
                        u -> {
                            ObjectNode undo = node.putObject("undo");
                            undo.put("state", u.state().name());
                            undo.put("requested_by", u.requestedBy());
                            undo.put("reason", u.reason());
                            undo.put("requested_at", u.requestedAt().toString());
                            undo.put("attempts", u.attempts());
                            undo.put("finished_at", time(u.finishedAt()));
                            undo.put("outcome", u.outcome().orElse(null));
                        },
                        () -> node.putNull("undo"));
        return node;
    }

    private static String time(Optional<Instant> at) {
        return at.map(Instant::toString).orElse(null);
    }
}
