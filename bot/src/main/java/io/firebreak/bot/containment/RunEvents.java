package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Clock;
import java.util.Optional;

/**
 * Writes what happened to an action run on the incident's timeline and, in the same transaction, enqueues the
 * card refresh and the Slack notice, so the incident's record, its card and its thread never disagree.
 */
final class RunEvents {
    /** Who acts when Firebreak itself does something (a call, an expiry, a phase change). */
    private final ObjectMapper mapper;

    private final Clock clock;

    RunEvents(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A map of strings as a JSON object, for the json columns. */
    String json(java.util.Map<String, String> values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always writes", e);
        }
    }

    /** Details naming the run and its action, to add to. */
    ObjectNode details(ContainmentRun run) {
        ObjectNode details = mapper.createObjectNode();
        details.put("run", run.id());
        details.put("action", run.action());
        details.set("parameters", mapper.valueToTree(run.parameters()));
        return details;
    }

    /**
     * Appends {@code kind} with {@code details} (plus {@code text}, the line {@code /incident show} prints),
     * refreshes the card, and posts {@code notice} in the incident's thread if given.
     */
    TimelineEvent append(
            Storage.Tx tx,
            ContainmentRun run,
            String actor,
            String kind,
            ObjectNode details,
            String text,
            Optional<Notice> notice) {
        details.put("text", text);
        TimelineEvent event = TimelineRecorder.record(tx, run.incidentId(), actor, kind, details, clock.instant());
        notice.ifPresent(n -> tx.jobs()
                .enqueue(
                        ContainmentService.NOTICE_JOB,
                        new Notice.Of(run.id(), n, event.seq()).instanceId(),
                        clock.instant()));
        return event;
    }

    /**
     * The first successful containment moves the incident from {@code DETECTED} to {@code CONTAINED}, recorded as
     * {@code phase_changed} with from, to and reason. Any other phase is left alone.
     */
    /**
     * Moves the incident from {@code DETECTED} to {@code CONTAINED} when its first action takes effect, through
     * the lifecycle's own phase change (its event and card refresh), in the caller's transaction.
     */
    void markContained(Storage.Tx tx, IncidentService incidents, ContainmentRun run, String title) {
        tx.incidents()
                .lock(run.incidentId())
                .filter(incident -> incident.phase() == Phase.DETECTED)
                .ifPresent(incident -> incidents.movePhase(
                        tx,
                        incident,
                        Phase.CONTAINED,
                        IncidentService.FIREBREAK,
                        java.util.Optional.of(title + " (" + run.id() + ") took effect")));
    }
}
