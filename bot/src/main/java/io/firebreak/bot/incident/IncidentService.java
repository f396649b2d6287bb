package io.firebreak.bot.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.AssessmentDao;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.NewIncident;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.incident.Severity;
import io.firebreak.storage.incident.Teams;
import io.firebreak.storage.timeline.ChainVerification;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Opens, finds and lists incidents; every change is written with its timeline event in one transaction. */
public final class IncidentService {
    /** Longest title kept; longer ones are cut at a word boundary. */
    public static final int MAX_TITLE = 2000;

    /** The durable job that brings the incident's Slack card up to date; its instance id is {@code <id>:<seq>}. */
    public static final String CARD_JOB = "incident-card";

    /** The actor of what Firebreak does by itself. */
    public static final String FIREBREAK = "firebreak";
    /**
     * How an automation rule's actor starts: {@code rule:<id>@<file hash>}. No Slack user ID or report text can start
     * so (reports' text is marked), so a severity recorded with it was set by that rule.
     */
    public static final String RULE_ACTOR_PREFIX = "rule:";
    /** Longest note kept; longer ones are cut cleanly. */
    public static final int MAX_NOTE = 3000;

    private final Storage storage;
    private final ObjectMapper mapper;
    private final Runnable wakeJobs;
    private final Responders responders;
    private final CloseGate closeGate;
    private final List<PhaseListener> phaseListeners;

    /**
     * @param wakeJobs   called after a change commits, so the card job runs now rather than at the next poll
     * @param responders who may change severity, phase and commander
     */
    public IncidentService(Storage storage, ObjectMapper mapper, Runnable wakeJobs, Responders responders) {
        this(storage, mapper, wakeJobs, responders, CloseGate.open(), List.of());
    }

    /**
     * @param closeGate      what must be true before an incident may close
     * @param phaseListeners what else happens, in the same transaction, when an incident changes phase
     */
    public IncidentService(
            Storage storage,
            ObjectMapper mapper,
            Runnable wakeJobs,
            Responders responders,
            CloseGate closeGate,
            List<PhaseListener> phaseListeners) {
        this.storage = storage;
        this.mapper = mapper;
        this.wakeJobs = wakeJobs;
        this.responders = responders;
        this.closeGate = closeGate;
        this.phaseListeners = List.copyOf(phaseListeners);
    }

    /** True when another update of the card that {@code refresh} updates is waiting to run. */
    public boolean anotherCardRefreshWaiting(TimelineRecorder.CardRefresh refresh) {
        return storage.inTransaction(tx -> TimelineRecorder.anotherRefreshWaiting(tx, refresh));
    }

    /** The close checklist of the incident as it is now. */
    public java.util.Optional<List<CloseGate.Item>> closeChecklist(IncidentKey key) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()).map(i -> closeGate.checklist(tx, i)));
    }

    /** An incident with the newest part of its timeline. */
    public record IncidentDetails(Incident incident, List<TimelineEvent> events, int eventCount) {}

    /** The commander of an incident nobody has taken yet (one opened by a user report). */
    public static final String UNASSIGNED = "unassigned";

    /**
     * What someone asked to open.
     *
     * @param reporter  who reported it: a Slack user ID, or a name or e-mail from a report form
     * @param commander who leads the response at first
     * @param channel   the Slack channel it was opened from or should be posted to, if any
     * @param source    how: {@code slash-command}, {@code shortcut}, {@code report}, …
     * @param privateIncident true for a private incident: seen only by its channel, its commander and the security group
     * @param workspace the workspace it is opened in, which it belongs to for good
     */
    public record OpenRequest(
            String title,
            Optional<Severity> severity,
            String reporter,
            String commander,
            Optional<String> channel,
            String source,
            boolean privateIncident,
            Workspace workspace) {
        public OpenRequest {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("an incident needs a title");
            }
        }

        /** In the single workspace (single-token mode, or from outside Slack with no {@code team} configured). */
        public OpenRequest(
                String title,
                Optional<Severity> severity,
                String reporter,
                String commander,
                Optional<String> channel,
                String source,
                boolean privateIncident) {
            this(title, severity, reporter, commander, channel, source, privateIncident, Workspace.of(Tenancy.LEGACY));
        }

        /** The same request, in {@code in}: the workspace it came from, which the incident belongs to. */
        public OpenRequest in(Workspace in) {
            return new OpenRequest(title, severity, reporter, commander, channel, source, privateIncident, in);
        }

        /** A public incident. */
        public OpenRequest(
                String title,
                Optional<Severity> severity,
                String reporter,
                String commander,
                Optional<String> channel,
                String source) {
            this(title, severity, reporter, commander, channel, source, false);
        }

        /** Opened by a person in Slack, who reports it and commands it. */
        public OpenRequest(
                String title, Optional<Severity> severity, String actor, Optional<String> channel, String source) {
            this(title, severity, actor, actor, channel, source);
        }
    }

    /** How long an open by the same person with the same title is taken for a retry of the first. */
    public static final java.time.Duration RETRY_WINDOW = java.time.Duration.ofSeconds(30);

    /**
     * What an open from a person made: a new incident, or the one the same person opened with the same title within
     * {@link #RETRY_WINDOW} (a retry after a slow answer), handed back instead of a second record.
     */
    public record Opened(Incident incident, boolean existing) {}

    /**
     * Opens an incident unless {@code request}'s reporter opened one with the same title (case and spacing aside) within
     * {@link #RETRY_WINDOW}, in which case that one is returned. Decided in the database, in the opening transaction,
     * under an advisory lock on (reporter, title), so two replicas receiving the same retry open it once.
     */
    public Opened openOnce(OpenRequest request) {
        String title = normalisedTitle(request.title());
        long lock = lockKey(request.reporter(), title);
        java.time.Instant since = storage.clock().instant().minus(RETRY_WINDOW);
        // One statement's round trip, committed as it runs: the lock, the look for the same open and the open.
        Opened opened = storage.inStatement(tx -> {
            Opening opening = opening(request);
            io.firebreak.storage.timeline.Timeline.OpenedOnce once = TimelineRecorder.openUnlessOpened(
                    tx,
                    opening.fresh(),
                    request.privateIncident(),
                    EventKinds.OPENED,
                    opening.details(),
                    storage.clock().instant(),
                    lock,
                    since);
            return new Opened(once.incident(), once.existing());
        });
        if (!opened.existing()) {
            wakeJobs.run();
        }
        return opened;
    }

    /** A title as compared for retries: as stored (cut), lower case, runs of spaces as one. */
    static String normalisedTitle(String title) {
        return TextLimits.cut(title.strip(), MAX_TITLE)
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("\\s+", " ");
    }

    /** The advisory lock of opens by {@code reporter} titled {@code title}: 64 bits of their SHA-256. */
    private static long lockKey(String reporter, String title) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("open\n" + reporter + "\n" + title).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(hash).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the incident in {@code DETECTED} and writes its {@code opened} event. */
    public Incident open(OpenRequest request) {
        Incident incident = storage.inTransaction(tx -> open(tx, request));
        wakeJobs.run();
        return incident;
    }

    /** Opens an incident in the caller's transaction; call {@link #wakeJobs()} after it commits. */
    public Incident open(Storage.Tx tx, OpenRequest request) {
        Opening opening = opening(request);
        return TimelineRecorder.open(
                        tx,
                        opening.fresh(),
                        request.privateIncident(),
                        EventKinds.OPENED,
                        opening.details(),
                        storage.clock().instant())
                .incident();
    }

    /** What opening {@code request} stores: the incident and the details of its first event. */
    private record Opening(NewIncident fresh, ObjectNode details) {}

    private Opening opening(OpenRequest request) {
        String title = TextLimits.cut(request.title().strip(), MAX_TITLE);
        NewIncident fresh = new NewIncident(
                title,
                request.severity(),
                request.commander(),
                request.reporter(),
                request.source(),
                request.channel(),
                request.workspace().teamId(),
                request.workspace().enterpriseId());
        ObjectNode details = mapper.createObjectNode().put("title", title).put("source", request.source());
        details.put("severity", request.severity().map(Enum::name).orElse(null));
        if (request.privateIncident()) {
            details.put("private", true);
        }
        request.channel().ifPresent(c -> details.put("channel", c));
        // The record must say who commands from the start, so the incident row can be checked against it.
        if (!request.commander().equals(request.reporter())) {
            details.put("commander", request.commander());
        }
        return new Opening(fresh, details);
    }

    /** Runs due jobs now: call after committing a transaction that enqueued one. */
    public void wakeJobs() {
        wakeJobs.run();
    }

    /** Appends an event and refreshes the card, in the caller's transaction: for features recording their own kinds. */
    public void record(Storage.Tx tx, IncidentKey key, String actor, String kind, ObjectNode details) {
        TimelineRecorder.record(
                tx, key.id(), actor, kind, details, storage.clock().instant());
    }

    /**
     * Records an impact assessment and sets the severity it derives. A responder may assess any time; the
     * reporter may give the first assessment of an incident they opened.
     */
    public Outcome assess(IncidentKey key, ImpactAssessment.Answers answers, String actor) {
        return assess(key, answers, actor, OnChange.NOTHING);
    }

    /** As {@link #assess(IncidentKey, ImpactAssessment.Answers, String)}, storing {@code onChange} with the change. */
    public Outcome assess(IncidentKey key, ImpactAssessment.Answers answers, String actor, OnChange onChange) {
        ImpactAssessment.Result result = ImpactAssessment.assess(answers);
        return change(key, onChange, (tx, incident) -> {
            boolean firstByReporter =
                    incident.severity().isEmpty() && incident.reporter().equals(actor);
            if (!firstByReporter && !responders.isResponder(actor, incident)) {
                return Outcome.forbidden(incident, "Only responders can change the severity of " + key + ".");
            }
            ObjectNode answersJson = answersJson(answers);
            Instant now = storage.clock().instant();
            tx.attach(AssessmentDao.class)
                    .insert(incident.id(), answersJson.toString(), result.severity(), result.reason(), actor, now);
            tx.incidents().setSeverity(incident.id(), result.severity(), "assessed: " + result.reason(), now);
            ObjectNode details = mapper.createObjectNode();
            details.put("from", incident.severity().map(Enum::name).orElse(null));
            details.put("to", result.severity().name());
            details.put("reason", result.reason());
            details.set("answers", answersJson);
            record(tx, incident, actor, EventKinds.ASSESSED, details);
            return Outcome.changed(
                    reload(tx, incident),
                    "Assessed " + key + " as *" + result.severity().label() + "* because " + result.reason() + ".");
        });
    }

    /** Sets the severity by hand. A reason is required; the timeline keeps from, to, who and why. */
    public Outcome overrideSeverity(IncidentKey key, Severity severity, String reason, String actor) {
        return overrideSeverity(key, severity, reason, actor, OnChange.NOTHING);
    }

    /** As {@link #overrideSeverity(IncidentKey, Severity, String, String)}, storing {@code onChange} with the change. */
    public Outcome overrideSeverity(
            IncidentKey key, Severity severity, String reason, String actor, OnChange onChange) {
        return change(key, onChange, (tx, incident) -> {
            // Who may is decided once per request by io.firebreak.bot.access.AccessPolicy, before this is called.
            boolean confirming = incident.severity().equals(Optional.of(severity));
            // Setting the same severity again confirms it when someone who is not a responder set it (see
            // SeverityHistory).
            if (confirming
                    && SeverityHistory.setBy(tx, incident.id())
                            .filter(responders::isResponder)
                            .isPresent()) {
                return Outcome.unchanged(incident, key + " is already " + severity.label() + ".");
            }
            tx.incidents()
                    .setSeverity(
                            incident.id(),
                            severity,
                            "override: " + reason,
                            storage.clock().instant());
            ObjectNode details = mapper.createObjectNode();
            details.put("from", incident.severity().map(Enum::name).orElse(null));
            details.put("to", severity.name());
            details.put("reason", reason);
            record(tx, incident, actor, EventKinds.SEVERITY_CHANGED, details);
            if (confirming) {
                return Outcome.changed(
                        reload(tx, incident), "Severity of " + key + " confirmed as *" + severity.label() + "*.");
            }
            return Outcome.changed(
                    reload(tx, incident),
                    "Severity of " + key + " changed from "
                            + incident.severity().map(Severity::label).orElse("not assessed") + " to *"
                            + severity.label() + "*.");
        });
    }

    /** Moves the incident to {@code phase} when the lifecycle allows it from where it is now. */
    public Outcome moveTo(IncidentKey key, Phase phase, String actor, Optional<String> reason) {
        return moveTo(key, phase, actor, reason, OnChange.NOTHING);
    }

    /** As {@link #moveTo(IncidentKey, Phase, String, Optional)}, storing {@code onChange} with the change. */
    public Outcome moveTo(IncidentKey key, Phase phase, String actor, Optional<String> reason, OnChange onChange) {
        return change(key, onChange, (tx, incident) -> {
            if (incident.phase() == phase) {
                return Outcome.unchanged(incident, key + " is already " + phase.label() + ".");
            }
            if (phase == Phase.CLOSED) {
                // The close checklist (which starts with "Resolved") says everything that is missing at once.
                List<CloseGate.Item> missing = closeGate.checklist(tx, incident).stream()
                        .filter(item -> !item.done())
                        .toList();
                if (!missing.isEmpty()) {
                    return Outcome.refused(
                            incident, key + " cannot close yet. Still missing:\n" + CloseGate.render(missing));
                }
            }
            if (!Lifecycle.allowed(incident.phase(), phase)) {
                return Outcome.refused(
                        incident,
                        key + " cannot move to " + phase.label() + ": "
                                + Lifecycle.refusal(incident.phase(), phase) + ". From "
                                + incident.phase().label() + " it can move to: "
                                + String.join(
                                        ", ",
                                        Lifecycle.next(incident.phase()).stream()
                                                .map(Phase::label)
                                                .toList())
                                + ".");
            }
            if (incident.phase() == Phase.CLOSED
                    && reason.filter(r -> !r.isBlank()).isEmpty()) {
                return Outcome.refused(incident, "Reopening " + key + " needs a reason.");
            }

            return movePhase(tx, incident, phase, actor, reason);
        });
    }

    /**
     * Moves the incident to {@code phase} in the caller's transaction, without the permission check: for moves
     * the system makes on its own (the first successful containment moves DETECTED to CONTAINED).
     */
    public Outcome movePhase(Storage.Tx tx, Incident incident, Phase phase, String actor, Optional<String> reason) {
        tx.incidents().setPhase(incident.id(), phase, storage.clock().instant());
        ObjectNode details = mapper.createObjectNode();
        details.put("from", incident.phase().name());
        details.put("to", phase.name());
        reason.filter(r -> !r.isBlank()).ifPresent(r -> details.put("reason", r));
        record(tx, incident, actor, EventKinds.PHASE_CHANGED, details);
        phaseListeners.forEach(listener -> listener.moved(tx, incident, phase));
        return Outcome.changed(
                reload(tx, incident),
                incident.key() + " moved from " + incident.phase().label() + " to *" + phase.label() + "*.");
    }

    /** Makes {@code commander} lead the incident; the new commander must be a responder (the caller is checked by the AccessPolicy). */
    public Outcome setCommander(IncidentKey key, String commander, String actor) {
        return setCommander(key, commander, actor, OnChange.NOTHING);
    }

    /** As {@link #setCommander(IncidentKey, String, String)}, storing {@code onChange} with the change. */
    public Outcome setCommander(IncidentKey key, String commander, String actor, OnChange onChange) {
        return change(key, onChange, (tx, incident) -> {
            if (!responders.isResponder(commander, incident)) {
                return Outcome.refused(
                        incident, Outcome.person(commander) + " is not a responder, so cannot command " + key + ".");
            }
            if (incident.commander().equals(commander)) {
                return Outcome.unchanged(incident, Outcome.person(commander) + " already commands " + key + ".");
            }
            tx.incidents()
                    .setCommander(incident.id(), commander, storage.clock().instant());
            ObjectNode details =
                    mapper.createObjectNode().put("from", incident.commander()).put("to", commander);
            record(tx, incident, actor, EventKinds.COMMANDER_CHANGED, details);
            return Outcome.changed(reload(tx, incident), Outcome.person(commander) + " now commands " + key + ".");
        });
    }

    /**
     * Makes {@code commander} lead the incident in the caller's transaction, without the permission check: for
     * changes already authorised elsewhere (an accepted handoff).
     */
    public Outcome changeCommander(Storage.Tx tx, Incident incident, String commander, String actor, String via) {
        tx.incidents().setCommander(incident.id(), commander, storage.clock().instant());
        ObjectNode details = mapper.createObjectNode()
                .put("from", incident.commander())
                .put("to", commander)
                .put("via", via);
        record(tx, incident, actor, EventKinds.COMMANDER_CHANGED, details);
        return Outcome.changed(
                reload(tx, incident), Outcome.person(commander) + " now commands " + incident.key() + ".");
    }

    /** Open incidents commanded by {@code user}, most severe first. */
    public List<Incident> commandedBy(String user) {
        return listOpen().stream().filter(i -> i.commander().equals(user)).toList();
    }

    /** Open incidents of the workspaces {@code teams} lets see commanded by {@code user}, most severe first. */
    public List<Incident> commandedBy(Teams teams, String user) {
        return listOpen(teams).stream().filter(i -> i.commander().equals(user)).toList();
    }

    /** True when {@code user} is a responder. */
    public boolean isResponder(String user) {
        return responders.isResponder(user);
    }

    /** True when {@code user} of {@code workspace} is a responder (that workspace's user groups). */
    public boolean isResponder(String user, Workspace workspace) {
        return responders.isResponder(user, workspace);
    }

    /** True when {@code user} is a responder for {@code incident} (its workspace's user groups). */
    public boolean isResponder(String user, Incident incident) {
        return responders.isResponder(user, incident);
    }

    /** Adds a note to the timeline. Anyone may. */
    public Outcome addNote(IncidentKey key, String text, String actor) {
        String note = TextLimits.cut(text.strip(), MAX_NOTE);
        return change(key, (tx, incident) -> {
            tx.incidents().touch(incident.id(), storage.clock().instant());
            record(
                    tx,
                    incident,
                    actor,
                    EventKinds.NOTE,
                    mapper.createObjectNode().put("text", note));
            return Outcome.changed(reload(tx, incident), "Note added to " + key + ".");
        });
    }

    /** Every assessment of the incident, oldest first. */
    public List<AssessmentDao.StoredAssessment> assessments(IncidentKey key) {
        return storage.inTransaction(tx -> tx.attach(AssessmentDao.class).forIncident(key.id()));
    }

    /** A change to one incident, made holding its row lock. */
    @FunctionalInterface
    private interface Change {
        Outcome apply(Storage.Tx tx, Incident lockedIncident);
    }

    private Outcome change(IncidentKey key, Change change) {
        return change(key, OnChange.NOTHING, change);
    }

    private Outcome change(IncidentKey key, OnChange onChange, Change change) {
        Outcome outcome = storage.inTransaction(tx -> {
            Outcome made = tx.incidents()
                    .lock(key.id())
                    .map(incident -> change.apply(tx, incident))
                    .orElseGet(() -> new Outcome(
                            Outcome.Status.NOT_FOUND, Optional.empty(), "There is no incident " + key + "."));
            if (made.changed()) {
                onChange.changed(tx, made);
            }
            return made;
        });
        if (outcome.changed()) {
            wakeJobs.run();
        }
        return outcome;
    }

    /** Appends the event and enqueues the card refresh, in the caller's transaction. */
    private void record(Storage.Tx tx, Incident incident, String actor, String kind, ObjectNode details) {
        record(tx, incident.key(), actor, kind, details);
    }

    private static Incident reload(Storage.Tx tx, Incident incident) {
        return tx.incidents().find(incident.id()).orElseThrow();
    }

    private ObjectNode answersJson(ImpactAssessment.Answers answers) {
        ObjectNode node = mapper.createObjectNode();
        node.put("caught_before_users", answers.caughtBeforeUsers());
        node.put("breadth", answers.breadth().name());
        var exposures = node.putArray("exposures");
        answers.exposures().stream().sorted().forEach(e -> exposures.add(e.name()));
        node.put("irreversible_actions", answers.irreversibleActions());
        node.put("clear_correction_path", answers.clearCorrectionPath());
        return node;
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

    /** Open incidents of the workspaces {@code teams} lets see, most severe first. */
    public List<Incident> listOpen(Teams teams) {
        return storage.inTransaction(tx -> tx.incidents().listOpen(teams));
    }

    /**
     * The incident {@code key} names if it is of a workspace {@code teams} lets see; empty otherwise, exactly as for a
     * key that names no incident (another workspace's incident is never admitted to exist).
     */
    public Optional<Incident> find(Teams teams, IncidentKey key) {
        return find(key).filter(i -> teams.includes(i.teamId()));
    }

    /** The open incident whose own Slack channel this is, if it is of a workspace {@code teams} lets see. */
    public Optional<Incident> findByChannel(Teams teams, String channelId) {
        return storage.inTransaction(tx -> tx.incidents().findByChannel(channelId, teams));
    }

    /**
     * Marks each of {@code open} (incidents of a workspace Firebreak was just removed from) with a timeline event that
     * says so; the incidents themselves, their records and their phase are kept as they are. Off the card: the
     * workspace's token is gone, so no card could be updated. Returns how many were marked.
     */
    public int markWorkspaceRemoved(List<Incident> open, Workspace workspace) {
        return storage.inTransaction(tx -> {
            for (Incident incident : open) {
                TimelineRecorder.recordOffCard(
                        tx,
                        incident.id(),
                        "firebreak",
                        EventKinds.WORKSPACE_REMOVED,
                        mapper.createObjectNode()
                                .put("team", workspace.teamId())
                                .put("text", "Firebreak was removed from this workspace; the incident is kept"));
            }
            return open.size();
        });
    }

    /** The incident with its newest {@code lastEvents} timeline events. */
    public Optional<IncidentDetails> details(IncidentKey key, int lastEvents) {
        return storage.inTransaction(tx -> tx.incidents()
                .find(key.id())
                .map(incident -> new IncidentDetails(
                        incident,
                        tx.timeline().newest(key.id(), lastEvents),
                        tx.attach(io.firebreak.storage.timeline.TimelineDao.class)
                                .count(key.id()))));
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
        return storage.inTransaction(
                tx -> tx.incidents().find(key.id()).map(i -> tx.timeline().verify(key.id())));
    }

    /**
     * Runs {@code work} holding the incident's card lock (a PostgreSQL advisory lock, so it holds across
     * replicas), which serialises card publications without blocking changes to the incident itself. Returns empty,
     * without running it, while another publication of the same card holds the lock.
     *
     * <p>The lock is a session lock on a connection of its own, outside any transaction: {@code work} calls Slack, and
     * each of its writes commits at once in a transaction of its own, so no row of the incident stays locked while
     * Slack answers (a transaction around the whole publication held the incident's row across the invite and the
     * post, and commands on that incident waited for Slack).
     */
    public <T> Optional<T> withCardLock(IncidentKey key, java.util.function.Supplier<T> work) {
        try (org.jdbi.v3.core.Handle lock = storage.jdbi().open()) {
            boolean held = lock.createQuery("select pg_try_advisory_lock(1, :id)")
                    .bind("id", (int) key.id())
                    .mapTo(Boolean.class)
                    .one();
            if (!held) {
                return Optional.empty();
            }
            try {
                return Optional.of(work.get());
            } finally {
                lock.execute("select pg_advisory_unlock(1, ?)", (int) key.id());
            }
        }
    }

    /** Records the incident's own Slack channel, made by Firebreak. */
    public void recordChannel(IncidentKey key, String channelId, String name) {
        storage.inTransaction(tx -> {
            tx.incidents().setChannel(key.id(), channelId);
            TimelineRecorder.recordOffCard(
                    tx,
                    key.id(),
                    FIREBREAK,
                    EventKinds.CHANNEL_CREATED,
                    mapper.createObjectNode().put("channel", channelId).put("name", name));
            return null;
        });
    }

    /** Records that the incident's own channel could not be made, and Slack's reason. */
    public void recordChannelFailure(IncidentKey key, String name, String error) {
        storage.inTransaction(tx -> {
            tx.incidents().setChannelError(key.id(), error);
            TimelineRecorder.recordOffCard(
                    tx,
                    key.id(),
                    FIREBREAK,
                    EventKinds.CHANNEL_FAILED,
                    mapper.createObjectNode().put("name", name).put("error", error));
            return null;
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
