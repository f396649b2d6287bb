package io.firebreak.bot.postmortem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Lifecycle;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.postmortem.Correction;
import io.firebreak.storage.postmortem.PostmortemDao;
import java.util.List;
import java.util.Optional;

/**
 * Records corrections. Recording one moves the incident to CORRECTING; one rolled out completely and verified by
 * a passing evaluation moves it on to RESOLVED.
 */
public final class CorrectionService {
    private final Storage storage;
    private final IncidentService incidents;
    private final ObjectMapper mapper;

    public CorrectionService(Storage storage, IncidentService incidents, ObjectMapper mapper) {
        this.storage = storage;
        this.incidents = incidents;
        this.mapper = mapper;
    }

    /** What a responder says was corrected. */
    public record Request(
            Correction.WhatChanged whatChanged,
            Optional<String> description,
            String newVersion,
            Optional<String> evalName,
            Optional<String> evalLink,
            Correction.EvalResult evalResult,
            Correction.Rollout rollout) {}

    public Outcome record(IncidentKey key, Request request, String actor) {
        Outcome outcome = storage.inTransaction(tx -> {
            Optional<Incident> locked = tx.incidents().lock(key.id());
            if (locked.isEmpty()) {
                return notFound(key);
            }
            Incident incident = locked.get();
            if (!incident.phase().isOpen()) {
                return Outcome.refused(incident, key + " is closed; reopen it before recording a correction.");
            }
            tx.attach(PostmortemDao.class)
                    .insertCorrection(
                            incident.id(),
                            request.whatChanged(),
                            request.description().orElse(null),
                            request.newVersion(),
                            request.evalName().orElse(null),
                            request.evalLink().orElse(null),
                            request.evalResult(),
                            request.rollout(),
                            actor,
                            storage.clock().instant());
            ObjectNode details = mapper.createObjectNode();
            details.put("what_changed", request.whatChanged().name());
            details.put("new_version", request.newVersion());
            request.description().ifPresent(d -> details.put("description", d));
            ObjectNode eval = details.putObject("evaluation");
            request.evalName().ifPresent(n -> eval.put("name", n));
            request.evalLink().ifPresent(l -> eval.put("link", l));
            eval.put("result", request.evalResult().name());
            details.put("rollout", request.rollout().name());
            incidents.record(tx, key, actor, EventKinds.CORRECTION_RECORDED, details);
            StringBuilder said = new StringBuilder("Correction recorded for " + key + ": "
                    + words(request.whatChanged())
                    + " now at `" + request.newVersion() + "`, evaluation "
                    + request.evalResult().name().toLowerCase().replace('_', ' ')
                    + ", rollout " + request.rollout().name().toLowerCase().replace('_', ' ') + ".");
            Incident now = tx.incidents().find(incident.id()).orElseThrow();
            if (Lifecycle.allowed(now.phase(), Phase.CORRECTING) && now.phase().compareTo(Phase.CORRECTING) < 0) {
                incidents.movePhase(tx, now, Phase.CORRECTING, actor, Optional.of("correction recorded"));
                said.append(" Moved to *correcting*.");
                now = tx.incidents().find(incident.id()).orElseThrow();
            }
            boolean verified = request.rollout() == Correction.Rollout.COMPLETE
                    && request.evalResult() == Correction.EvalResult.PASSED;
            if (verified && Lifecycle.allowed(now.phase(), Phase.RESOLVED)) {
                incidents.movePhase(tx, now, Phase.RESOLVED, actor, Optional.of("correction rolled out and verified"));
                said.append(" Rolled out and verified, so moved to *resolved*.");
            } else if (!verified) {
                said.append(" It resolves when a correction is rolled out completely and its evaluation passed.");
            }
            return Outcome.changed(tx.incidents().find(incident.id()).orElseThrow(), said.toString());
        });
        if (outcome.changed()) {
            incidents.wakeJobs();
        }
        return outcome;
    }

    public List<Correction> corrections(IncidentKey key) {
        return storage.inTransaction(tx -> tx.attach(PostmortemDao.class).corrections(key.id()));
    }

    static String words(Correction.WhatChanged what) {
        return switch (what) {
            case PROMPT -> "the prompt";
            case WORKFLOW -> "the workflow";
            case TOOL_VALIDATION -> "tool validation";
            case RETRIEVAL -> "retrieval";
            case ROUTING_POLICY -> "the routing policy";
            case APPROVAL_VIEW -> "the approval view";
            case KNOWLEDGE_SOURCE -> "the knowledge source";
            case OTHER -> "the change";
        };
    }

    private static Outcome notFound(IncidentKey key) {
        return new Outcome(Outcome.Status.NOT_FOUND, Optional.empty(), "There is no incident " + key + ".");
    }
}
