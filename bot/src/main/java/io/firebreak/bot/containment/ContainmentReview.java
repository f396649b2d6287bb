package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.KeptDao;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keeping a containment action in effect on purpose, with a reason, so that the incident may close with it (see
 * {@link ContainmentRecord} for the close gate).
 */
public final class ContainmentReview {

    private final Storage storage;
    private final IncidentService incidents;
    private final ContainmentService containment;
    private final ObjectMapper mapper;

    public ContainmentReview(
            Storage storage, IncidentService incidents, ContainmentService containment, ObjectMapper mapper) {
        this.storage = storage;
        this.incidents = incidents;
        this.containment = containment;
        this.mapper = mapper;
    }

    /** Leaves an action run (by id, or by action when one run of it is in effect) in effect on purpose. */
    public Outcome keep(IncidentKey key, String run, String reason, String actor) {
        Optional<Incident> incident = incidents.find(key);
        if (incident.isEmpty()) {
            return new Outcome(Outcome.Status.NOT_FOUND, Optional.empty(), "There is no incident " + key + ".");
        }
        if (reason.isBlank()) {
            return Outcome.refused(incident.get(), "Keeping an action in effect needs a reason, after `--`.");
        }
        List<ContainmentRun> matches = containment.runs(key).stream()
                .filter(r -> r.id().equals(run) || (r.action().equals(run) && r.undoable()))
                .toList();
        if (matches.size() != 1) {
            return Outcome.refused(
                    incident.get(),
                    matches.isEmpty()
                            ? key + " has no action run " + run + "."
                            : run + " is in effect " + matches.size() + " times; say which run: "
                                    + matches.stream().map(ContainmentRun::id).collect(Collectors.joining(", ")) + ".");
        }
        ContainmentRun target = matches.get(0);
        if (!target.undoable()) {
            return Outcome.refused(
                    incident.get(),
                    containment.title(target) + " (" + target.id() + ") is not in effect: "
                            + ContainmentService.stateSentence(target) + ".");
        }
        String why = TextLimits.cut(reason.strip(), 1000);
        Outcome outcome = storage.inTransaction(tx -> {
            tx.attach(KeptDao.class)
                    .keep(target.id(), why, actor, storage.clock().instant());
            incidents.record(
                    tx,
                    key,
                    actor,
                    EventKinds.CONTAINMENT_KEPT,
                    mapper.createObjectNode()
                            .put("action_run", target.id())
                            .put("action", target.action())
                            .put("reason", why));
            return Outcome.changed(
                    tx.incidents().find(key.id()).orElseThrow(),
                    containment.title(target) + " (" + target.id() + ") stays in effect: " + why + ".");
        });
        incidents.wakeJobs();
        return outcome;
    }
}
