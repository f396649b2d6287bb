package io.firebreak.bot.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.NewIncident;
import io.firebreak.storage.incident.Severity;
import io.firebreak.storage.timeline.ChainVerification;
import io.firebreak.storage.timeline.TimelineEvent;

import java.util.List;
import java.util.Optional;

/** Opens, finds and lists incidents; every change is written with its timeline event in one transaction. */
public final class IncidentService {
    /** Longest title kept; longer ones are cut at a word boundary. */
    public static final int MAX_TITLE = 2000;

    /** The durable job that brings the incident's Slack card up to date; its instance id is {@code <id>:<seq>}. */
    public static final String CARD_JOB = "incident-card";

    private final Storage storage;
    private final ObjectMapper mapper;
    private final Runnable wakeJobs;

    /**
     * @param wakeJobs called after a change commits, so the card job runs now rather than at the next poll
     */
    public IncidentService(Storage storage, ObjectMapper mapper, Runnable wakeJobs) {
        this.storage = storage;
        this.mapper = mapper;
        this.wakeJobs = wakeJobs;
    }

    /** Parses a card job's instance id back to the incident it is for. */
    public static IncidentKey cardJobIncident(String instanceId) {
        return new IncidentKey(Long.parseLong(instanceId.substring(0, instanceId.indexOf(':'))));
    }

    /** An incident with the newest part of its timeline. */
    public record IncidentDetails(Incident incident, List<TimelineEvent> events, int eventCount) {
    }

    /**
     * What a person asked to open.
     *
     * @param actor   who opens it (becomes commander and reporter)
     * @param channel the Slack channel it was opened from, if any
     * @param source  how: {@code slash-command}, {@code shortcut}, {@code report}, …
     */
    public record OpenRequest(String title, Optional<Severity> severity, String actor, Optional<String> channel,
                              String source) {
        public OpenRequest {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("an incident needs a title");
            }
        }
    }

    /** Creates the incident in {@code DETECTED} and writes its {@code opened} event. */
    public Incident open(OpenRequest request) {
        String title = TextLimits.cut(request.title().strip(), MAX_TITLE);
        Incident incident = storage.inTransaction(tx -> {
            NewIncident fresh = new NewIncident(title, request.severity(), request.actor(), request.actor(),
                    request.source(), request.channel());
            long id = tx.incidents().insert(fresh.title(), fresh.severity().map(Enum::name).orElse(null),
                    fresh.commander(), fresh.reporter(), fresh.source(), fresh.originChannel().orElse(null),
                    storage.clock().instant());
            ObjectNode details = mapper.createObjectNode()
                    .put("title", title)
                    .put("source", request.source());
            details.put("severity", request.severity().map(Enum::name).orElse(null));
            request.channel().ifPresent(c -> details.put("channel", c));
            var event = tx.timeline().append(id, request.actor(), EventKinds.OPENED, details);
            refreshCard(tx, id, event.seq(), storage.clock().instant());
            return tx.incidents().find(id).orElseThrow();
        });
        wakeJobs.run();
        return incident;
    }

    /** Enqueues the card job in the caller's transaction: it exists exactly when the change was committed. */
    public static void refreshCard(Storage.Tx tx, long incidentId, int seq, java.time.Instant now) {
        tx.jobs().enqueue(CARD_JOB, incidentId + ":" + seq, now);
    }

    public Optional<Incident> find(IncidentKey key) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()));
    }

    /** The open incident whose own Slack channel this is. */
    public Optional<Incident> findByChannel(String channelId) {
        return storage.inTransaction(tx -> tx.incidents().findByChannel(channelId));
    }

    /** Open incidents, most severe first. */
    public List<Incident> listOpen() {
        return storage.inTransaction(tx -> tx.incidents().listOpen());
    }

    /** The incident with its newest {@code lastEvents} timeline events. */
    public Optional<IncidentDetails> details(IncidentKey key, int lastEvents) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()).map(incident -> new IncidentDetails(
                incident, tx.timeline().newest(key.id(), lastEvents), tx.attach(io.firebreak.storage.timeline.TimelineDao.class).count(key.id()))));
    }

    /** The incident with its whole timeline. */
    public Optional<IncidentDetails> withTimeline(IncidentKey key) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()).map(incident -> {
            List<TimelineEvent> events = tx.timeline().events(key.id());
            return new IncidentDetails(incident, events, events.size());
        }));
    }

    /** Recomputes the incident's hash chain; empty when there is no such incident. */
    public Optional<ChainVerification> verify(IncidentKey key) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()).map(i -> tx.timeline().verify(key.id())));
    }

    /**
     * Runs {@code work} holding the incident's card lock (a PostgreSQL advisory lock, so it holds across
     * replicas), which serialises card publications without blocking changes to the incident itself.
     */
    public <T> T withCardLock(IncidentKey key, java.util.function.Supplier<T> work) {
        return storage.inTransaction(tx -> {
            tx.handle().execute("select pg_advisory_xact_lock(1, ?)", (int) key.id());
            return work.get();
        });
    }

    /** Remembers where the incident card was posted, so later changes update it in place. */
    public void recordCard(IncidentKey key, String channel, String ts) {
        storage.inTransaction(tx -> {
            tx.incidents().setCard(key.id(), channel, ts);
            return null;
        });
    }
}
