package io.firebreak.bot.handoff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.OnChange;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.handoff.Handoff;
import io.firebreak.storage.handoff.HandoffDao;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * On-call handoffs. The giver offers one or more incidents to a responder, who gets the handoff pack in a direct
 * message and accepts with "I have it"; until then the giver stays commander, and an unaccepted handoff is
 * announced again in the incident channel.
 */
public final class HandoffService {
    /** The durable job that sends the pack; its instance id is the handoff ids, comma-separated. */
    public static final String PACK_JOB = "handoff-pack";
    /** The durable job that re-announces an unaccepted handoff; instance {@code <handoff id>:<round>}. */
    public static final String REMINDER_JOB = "handoff-reminder";

    /** One handoff pack: the handoffs offered together, in one message. The pack job's instance id. */
    public record Pack(List<Long> handoffIds) {
        /** The job instance id, the handoff ids joined with commas. */
        public String instanceId() {
            return handoffIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static Pack parse(String instanceId) {
            return new Pack(java.util.Arrays.stream(instanceId.split(","))
                    .map(Long::parseLong)
                    .toList());
        }
    }

    /** One reminder of a handoff nobody accepted yet: the reminder job's instance id. */
    public record Reminder(long handoffId, int round) {
        /** The job instance id, {@code <handoff id>:<round>}. */
        public String instanceId() {
            return JobIds.join(handoffId, round);
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static Reminder parse(String instanceId) {
            String[] parts = JobIds.split(instanceId, 2);
            return new Reminder(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
        }
    }
    /** Re-announcements of one unaccepted handoff, at most. */
    public static final int MAX_REMINDERS = 3;

    private final Storage storage;
    private final IncidentService incidents;
    private final Duration reminder;
    private final ObjectMapper mapper;

    public HandoffService(Storage storage, IncidentService incidents, Duration reminder, ObjectMapper mapper) {
        this.storage = storage;
        this.incidents = incidents;
        this.reminder = reminder;
        this.mapper = mapper;
    }

    /** What came of an offer: the handoffs made, or why none was. */
    public record Offer(List<Handoff> handoffs, Optional<String> refusal) {
        public boolean made() {
            return refusal.isEmpty();
        }
    }

    /**
     * Offers {@code keys} (or, when empty, every open incident {@code actor} commands) to {@code to}. Both must be
     * responders; the pack and the reminders are enqueued with the offer.
     */
    public Offer offer(List<IncidentKey> keys, String to, Optional<String> note, String actor) {
        return offer(keys, to, note, actor, OnChange.NOTHING);
    }

    /**
     * As {@link #offer(List, String, Optional, String)}; {@code onOffered} is told of each incident offered, in the
     * offer's transaction.
     */
    public Offer offer(List<IncidentKey> keys, String to, Optional<String> note, String actor, OnChange onOffered) {
        List<IncidentKey> targets = keys.isEmpty()
                ? incidents.commandedBy(actor).stream().map(Incident::key).toList()
                : keys;
        // Asked as the incidents' workspace (its responder user groups), when there is an incident to ask about.
        Optional<Incident> first = targets.stream().findFirst().flatMap(incidents::find);
        if (!first.map(i -> incidents.isResponder(to, i)).orElseGet(() -> incidents.isResponder(to))) {
            return refused(Outcome.person(to)
                    + " is not a responder, so cannot take over. Hand off to someone in FIREBREAK_RESPONDERS.");
        }
        if (targets.isEmpty()) {
            return refused(
                    "You command no open incidents, so there is nothing to hand off. Name one: `handoff INC-<n> @user`.");
        }
        Optional<String> cleanNote =
                note.map(String::strip).filter(n -> !n.isEmpty()).map(n -> TextLimits.cut(n, 2000));
        Offer offer = storage.inTransaction(tx -> {
            List<Handoff> made = new ArrayList<>();
            Instant now = storage.clock().instant();
            for (IncidentKey key : targets) {
                Optional<Incident> incident = tx.incidents().lock(key.id());
                if (incident.isEmpty()) {
                    return refused("There is no incident " + key + ".");
                }
                if (!incident.get().phase().isOpen()) {
                    return refused(key + " is closed; there is nothing to hand off.");
                }
                if (incident.get().commander().equals(to)) {
                    return refused(Outcome.person(to) + " already commands " + key + ".");
                }
                HandoffDao dao = tx.attach(HandoffDao.class);
                dao.supersedePending(key.id());
                long id = dao.insert(key.id(), incident.get().commander(), to, cleanNote.orElse(null), now);
                ObjectNode details = mapper.createObjectNode()
                        .put("handoff", id)
                        .put("from", incident.get().commander())
                        .put("to", to);
                cleanNote.ifPresent(n -> details.put("note", n));
                incidents.record(tx, key, actor, EventKinds.HANDOFF_OFFERED, details);
                tx.jobs().enqueue(REMINDER_JOB, new Reminder(id, 1).instanceId(), now.plus(reminder));
                made.add(dao.find(id).orElseThrow());
                onOffered.changed(
                        tx,
                        Outcome.changed(
                                tx.incidents().find(key.id()).orElseThrow(),
                                "Offered " + key + " to " + Outcome.person(to) + "."));
            }
            tx.jobs().enqueue(PACK_JOB, new Pack(made.stream().map(Handoff::id).toList()).instanceId(), now);
            return new Offer(made, Optional.empty());
        });
        if (offer.made()) {
            incidents.wakeJobs();
        }
        return offer;
    }

    /** The receiver takes over: becomes commander of each incident whose handoff is still pending. */
    public List<Outcome> accept(List<Long> handoffIds, String actor) {
        return accept(handoffIds, actor, OnChange.NOTHING);
    }

    /**
     * As {@link #accept(List, String)}; {@code onAccepted} is told of each incident taken over, in the same
     * transaction.
     */
    public List<Outcome> accept(List<Long> handoffIds, String actor, OnChange onAccepted) {
        List<Outcome> outcomes = storage.inTransaction(tx -> {
            List<Outcome> results = new ArrayList<>();
            for (long id : handoffIds) {
                HandoffDao dao = tx.attach(HandoffDao.class);
                Optional<Handoff> found = dao.find(id);
                if (found.isEmpty()) {
                    continue;
                }
                Handoff handoff = found.get();
                Incident incident = tx.incidents().lock(handoff.incidentId()).orElseThrow();
                if (!handoff.toUser().equals(actor)) {
                    results.add(Outcome.forbidden(
                            incident,
                            "This handoff of " + incident.key() + " is for " + Outcome.person(handoff.toUser()) + "."));
                } else if (handoff.acceptedAt().isPresent()) {
                    results.add(Outcome.unchanged(incident, "You already have " + incident.key() + "."));
                } else if (handoff.superseded()) {
                    results.add(Outcome.refused(
                            incident, "This handoff of " + incident.key() + " was replaced by a newer one."));
                } else {
                    dao.accept(id, storage.clock().instant());
                    incidents.record(
                            tx,
                            incident.key(),
                            actor,
                            EventKinds.HANDOFF_ACCEPTED,
                            mapper.createObjectNode()
                                    .put("handoff", id)
                                    .put("from", handoff.fromUser())
                                    .put("to", actor));
                    Outcome taken = incidents.changeCommander(tx, incident, actor, actor, "handoff");
                    onAccepted.changed(tx, taken);
                    results.add(taken);
                }
            }
            return results;
        });
        if (outcomes.stream().anyMatch(Outcome::changed)) {
            incidents.wakeJobs();
        }
        return outcomes;
    }

    public Optional<Handoff> find(long id) {
        return storage.inTransaction(tx -> tx.attach(HandoffDao.class).find(id));
    }

    /** The handoff of the incident still waiting for its receiver, if any. */
    public Optional<Handoff> pending(IncidentKey key) {
        return storage.inTransaction(tx -> tx.attach(HandoffDao.class).pending(key.id()));
    }

    /** Enqueues the next re-announcement of a still-pending handoff, unless it had its last. */
    public void scheduleNextReminder(Handoff handoff, int round) {
        if (round >= MAX_REMINDERS) {
            return;
        }
        storage.inTransaction(tx -> tx.jobs()
                .enqueue(
                        REMINDER_JOB,
                        new Reminder(handoff.id(), round + 1).instanceId(),
                        storage.clock().instant().plus(reminder)));
    }

    public Duration reminder() {
        return reminder;
    }

    private static Offer refused(String why) {
        return new Offer(List.of(), Optional.of(why));
    }
}
