package io.firebreak.bot.containment;

import io.firebreak.bot.incident.CloseGate;
import io.firebreak.bot.postmortem.PostmortemSection;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.ContainmentRunDao;
import io.firebreak.storage.containment.KeptDao;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.containment.UndoState;
import io.firebreak.storage.incident.Incident;
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
public final class ContainmentRecord implements CloseGate, PostmortemSection {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final ContainmentService containment;

    public ContainmentRecord(Storage storage, ContainmentService containment) {
        this.storage = storage;
        this.containment = containment;
    }

    @Override
    public List<Item> checklist(Storage.Tx tx, Incident incident) {
        List<ContainmentRun> runs = tx.attach(ContainmentRunDao.class).forIncident(incident.id());
        Map<String, KeptDao.Kept> kept = tx.attach(KeptDao.class).forIncident(incident.id()).stream()
                .collect(Collectors.toMap(KeptDao.Kept::runId, k -> k));
        List<String> open = runs.stream()
                .filter(r -> r.state() == RunState.PENDING_APPROVAL
                        || r.state() == RunState.QUEUED
                        || r.state() == RunState.RUNNING
                        || (r.undoable()
                                && !kept.containsKey(r.id())
                                && r.undo()
                                        .map(u -> u.state() != UndoState.SUCCEEDED)
                                        .orElse(true)))
                .map(r ->
                        containment.title(r) + " (" + r.id() + ", " + r.state().label() + ")")
                .toList();
        return List.of(new Item(
                "Containment undone or kept with a reason",
                open.isEmpty(),
                open.isEmpty()
                        ? ""
                        : "still open: " + String.join("; ", open)
                                + ". Undo each (`undo <run> -- why`) or keep it (`keep <run> -- why`)"));
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
        StringBuilder md = new StringBuilder(
                "| run | action | parameters | fired by | requested | approved by | outcome | in effect | lifted |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        for (ContainmentRun r : runs) {
            Optional<Instant> from = r.state() == RunState.SUCCEEDED || r.state() == RunState.UNDONE
                    ? r.execution().finishedAt()
                    : Optional.empty();
            Optional<Instant> until =
                    r.undo().filter(u -> u.state() == UndoState.SUCCEEDED).flatMap(ContainmentRun.Undo::finishedAt);
            String effect = from.map(f -> UTC.format(f) + " for " + duration(Duration.between(f, until.orElse(now)))
                            + (until.isEmpty() ? " (still in effect)" : ""))
                    .orElse("never");
            String lifted = until.map(
                            u -> UTC.format(u) + " by " + r.undo().get().requestedBy() + ": "
                                    + cell(r.undo().get().reason()))
                    .orElse(Optional.ofNullable(kept.get(r.id()))
                            .map(k -> "kept by " + k.keptBy() + ": " + cell(k.reason()))
                            .orElse("—"));
            md.append("| ")
                    .append(r.id())
                    .append(" | ")
                    .append(cell(containment.title(r)))
                    .append(" | ")
                    .append(cell(r.parameters().toString()))
                    .append(" | ")
                    .append(r.requestedBy())
                    .append(" | ")
                    .append(UTC.format(r.requestedAt()))
                    .append(" | ")
                    .append(r.approval().decidedBy().orElse(r.approval().needed() ? "—" : "pre-approved"))
                    .append(" | ")
                    .append(r.state().label())
                    .append(r.execution().outcome().map(o -> ": " + cell(o)).orElse(""))
                    .append(" | ")
                    .append(effect)
                    .append(" | ")
                    .append(lifted)
                    .append(" |\n");
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
