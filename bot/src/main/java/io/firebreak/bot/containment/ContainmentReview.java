package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.CloseGate;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.incident.TextLimits;
import io.firebreak.bot.postmortem.PostmortemSection;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.ContainmentRunDao;
import io.firebreak.storage.containment.KeptDao;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.containment.UndoState;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Containment at the end of an incident: an action in effect is either undone or kept on purpose with a reason
 * before the incident may close, and the postmortem lists every action with who fired it, when, and for how long.
 */
public final class ContainmentReview implements CloseGate, PostmortemSection {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final IncidentService incidents;
    private final ContainmentService containment;
    private final ObjectMapper mapper;

    public ContainmentReview(Storage storage, IncidentService incidents, ContainmentService containment, ObjectMapper mapper) {
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
                .filter(r -> r.id().equals(run) || (r.action().equals(run) && r.undoable())).toList();
        if (matches.size() != 1) {
            return Outcome.refused(incident.get(), matches.isEmpty() ? key + " has no action run " + run + "."
                    : run + " is in effect " + matches.size() + " times; say which run: "
                    + matches.stream().map(ContainmentRun::id).collect(Collectors.joining(", ")) + ".");
        }
        ContainmentRun target = matches.get(0);
        if (!target.undoable()) {
            return Outcome.refused(incident.get(), containment.title(target) + " (" + target.id() + ") is not in effect: "
                    + ContainmentService.stateSentence(target) + ".");
        }
        String why = TextLimits.cut(reason.strip(), 1000);
        Outcome outcome = storage.inTransaction(tx -> {
            tx.attach(KeptDao.class).keep(target.id(), why, actor, storage.clock().instant());
            incidents.record(tx, key, actor, EventKinds.CONTAINMENT_KEPT, mapper.createObjectNode()
                    .put("action_run", target.id()).put("action", target.action()).put("reason", why));
            return Outcome.changed(tx.incidents().find(key.id()).orElseThrow(),
                    containment.title(target) + " (" + target.id() + ") stays in effect: " + why + ".");
        });
        incidents.wakeJobs();
        return outcome;
    }

    @Override
    public List<Item> checklist(Storage.Tx tx, Incident incident) {
        List<ContainmentRun> runs = tx.attach(ContainmentRunDao.class).forIncident(incident.id());
        Map<String, KeptDao.Kept> kept = tx.attach(KeptDao.class).forIncident(incident.id()).stream()
                .collect(Collectors.toMap(KeptDao.Kept::runId, k -> k));
        List<String> open = runs.stream()
                .filter(r -> r.state() == RunState.PENDING_APPROVAL || r.state() == RunState.QUEUED || r.state() == RunState.RUNNING
                        || (r.undoable() && !kept.containsKey(r.id()) && r.undo().map(u -> u.state() != UndoState.SUCCEEDED).orElse(true)))
                .map(r -> containment.title(r) + " (" + r.id() + ", " + r.state().label() + ")").toList();
        return List.of(new Item("Containment undone or kept with a reason", open.isEmpty(), open.isEmpty() ? ""
                : "still open: " + String.join("; ", open) + ". Undo each (`undo <run> -- why`) or keep it (`keep <run> -- why`)"));
    }

    @Override
    public String title() {
        return "Containment";
    }

    @Override
    public String markdown(Storage.Tx tx, Incident incident) {
        List<ContainmentRun> runs = tx.attach(ContainmentRunDao.class).forIncident(incident.id());
        if (runs.isEmpty()) {
            return "No containment action was fired.";
        }
        Map<String, KeptDao.Kept> kept = tx.attach(KeptDao.class).forIncident(incident.id()).stream()
                .collect(Collectors.toMap(KeptDao.Kept::runId, k -> k));
        Instant now = storage.clock().instant();
        StringBuilder md = new StringBuilder("| run | action | parameters | fired by | requested | approved by | outcome | in effect | lifted |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (ContainmentRun r : runs) {
            Optional<Instant> from = r.state() == RunState.SUCCEEDED || r.state() == RunState.UNDONE ? r.execution().finishedAt() : Optional.empty();
            Optional<Instant> until = r.undo().filter(u -> u.state() == UndoState.SUCCEEDED).flatMap(ContainmentRun.Undo::finishedAt);
            String effect = from.map(f -> UTC.format(f) + " for " + duration(Duration.between(f, until.orElse(now)))
                    + (until.isEmpty() ? " (still in effect)" : "")).orElse("never");
            String lifted = until.map(u -> UTC.format(u) + " by " + r.undo().get().requestedBy() + ": " + cell(r.undo().get().reason()))
                    .orElse(Optional.ofNullable(kept.get(r.id())).map(k -> "kept by " + k.keptBy() + ": " + cell(k.reason())).orElse("—"));
            md.append("| ").append(r.id()).append(" | ").append(cell(containment.title(r))).append(" | ")
                    .append(cell(r.parameters().toString())).append(" | ").append(r.requestedBy()).append(" | ")
                    .append(UTC.format(r.requestedAt())).append(" | ").append(r.approval().decidedBy().orElse(r.approval().needed() ? "—" : "pre-approved"))
                    .append(" | ").append(r.state().label()).append(r.execution().outcome().map(o -> ": " + cell(o)).orElse(""))
                    .append(" | ").append(effect).append(" | ").append(lifted).append(" |\n");
        }
        return md.toString();
    }

    private static String duration(Duration d) {
        return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min" : Math.max(0, d.toMinutes()) + " min";
    }

    private static String cell(String text) {
        return text.replace("\r", "").replace('\n', ' ').replace("|", "\\|");
    }
}
