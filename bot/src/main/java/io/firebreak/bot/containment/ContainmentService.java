package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentLinkDao;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.ContainmentRunDao;
import io.firebreak.storage.containment.NewContainmentRun;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.containment.UndoState;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Severity;
import io.firebreak.storage.jobs.JobQueueDao;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Fires, approves, denies and undoes containment actions. Every decision is written with its timeline event, its
 * durable job, the card refresh and the Slack notice in one transaction; the HTTP calls run later, in
 * {@link ContainmentExecutor}. Nothing here talks to Slack or to the target.
 */
public final class ContainmentService {
    /** Makes the action call; instance id = the run id. */
    public static final String ACTION_JOB = "containment-action";
    /** Makes the undo call; instance id = the run id. */
    public static final String UNDO_JOB = "containment-undo";
    /** Expires an approval request nobody decided on; instance id = the run id. */
    public static final String EXPIRY_JOB = "containment-approval-expiry";
    /** Posts a {@link Notice} in the incident's thread. */
    public static final String NOTICE_JOB = "containment-notice";

    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final Storage storage;
    private final ActionCatalog catalog;
    private final Approvers approvers;
    private final Duration approvalTtl;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Runnable wakeJobs;
    private final SeverityTrust severityTrust;
    private final RunEvents events;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param approvers   who may approve actions below their pre-approved severity
     * @param approvalTtl how long an approval request can be approved
     * @param wakeJobs    called after a change commits, so its jobs run now rather than at the next poll
     */
    public ContainmentService(
            Storage storage,
            ActionCatalog catalog,
            Approvers approvers,
            Duration approvalTtl,
            ObjectMapper mapper,
            Runnable wakeJobs) {
        this(storage, catalog, approvers, approvalTtl, mapper, wakeJobs, SeverityTrust.asAssessed());
    }

    /** As above, with {@code severityTrust} deciding which severity may pre-approve a firing. */
    public ContainmentService(
            Storage storage,
            ActionCatalog catalog,
            Approvers approvers,
            Duration approvalTtl,
            ObjectMapper mapper,
            Runnable wakeJobs,
            SeverityTrust severityTrust) {
        this.severityTrust = severityTrust;
        this.storage = storage;
        this.catalog = catalog;
        this.approvers = approvers;
        this.approvalTtl = approvalTtl;
        this.mapper = mapper;
        this.clock = storage.clock();
        this.wakeJobs = wakeJobs;
        this.events = new RunEvents(mapper, clock);
    }

    public ActionCatalog catalog() {
        return catalog;
    }

    public Approvers approvers() {
        return approvers;
    }

    /**
     * A responder's request to fire an action.
     *
     * @param parameters the values given, by parameter name
     * @param requester  the Slack user ID of who fires it
     * @param requestKey identifies the Slack request (a modal's view id, a command's trigger id): the same request
     *                   twice fires once
     */
    public record FireRequest(
            IncidentKey incident,
            String action,
            Map<String, String> parameters,
            String reason,
            String requester,
            Optional<String> requestKey) {
        public FireRequest {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    /** What came of a request to fire. */
    public sealed interface FireResult {
        /** Nothing was written: what was wrong, and per parameter when a parameter was. */
        record Refused(String message, Map<String, String> parameterProblems) implements FireResult {
            static Refused because(String message) {
                return new Refused(message, Map.of());
            }
        }

        /** At or above its pre-approved severity: queued to run now. */
        record Fired(ContainmentRun run, ContainmentAction action) implements FireResult {}

        /** Below its pre-approved severity: an approval request was posted. */
        record AwaitingApproval(ContainmentRun run, ContainmentAction action) implements FireResult {}

        /** This same Slack request fired it already (a retry or a double click): nothing new was written. */
        record AlreadyRequested(ContainmentRun run, ContainmentAction action) implements FireResult {}

        /** The same action on the same target is already waiting, running or in effect. */
        record AlreadyLive(ContainmentRun run, ContainmentAction action) implements FireResult {}

        /**
         * The same action on the same target is live on another incident: this incident now relies on that run
         * (recorded on its timeline) instead of firing it again; {@code newly} is false when it already did.
         */
        record Linked(ContainmentRun run, ContainmentAction action, boolean newly) implements FireResult {}
    }

    /**
     * What firing would send, for a dry run: nothing is written or sent.
     *
     * @param capture the read made first, when the action keeps values for its undo
     * @param request the action call, with a stand-in Idempotency-Key
     * @param undo    the undo call, with kept values shown as {@code (read before firing)}
     */
    public record Preview(
            Incident incident,
            ContainmentAction action,
            boolean needsApproval,
            Optional<OutboundRequest> capture,
            OutboundRequest request,
            OutboundRequest undo) {}

    /** Fires {@code request}: queues the call, or asks for approval below the action's pre-approved severity. */
    public FireResult fire(FireRequest request) {
        Validated valid = validate(request);
        if (valid.refused().isPresent()) {
            return valid.refused().get();
        }
        FireResult result = storage.inTransaction(tx -> fire(tx, request, valid.action()));
        wakeJobs.run();
        return result;
    }

    private FireResult fire(Storage.Tx tx, FireRequest request, ContainmentAction action) {
        ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
        Optional<Incident> found = tx.incidents().find(request.incident().id());
        if (found.isEmpty()) {
            return FireResult.Refused.because("There is no incident " + request.incident() + ".");
        }
        Incident incident = found.get();
        if (!incident.phase().isOpen()) {
            return FireResult.Refused.because(
                    incident.key() + " is closed; open a new incident to contain a new problem.");
        }
        Optional<ContainmentRun> same = request.requestKey().flatMap(runs::findByRequestKey);
        if (same.isPresent()) {
            return new FireResult.AlreadyRequested(same.get(), action);
        }
        Instant now = clock.instant();
        Optional<FireResult> linked = linkToLiveElsewhere(tx, incident, request, action, now);
        if (linked.isPresent()) {
            return linked.get();
        }
        boolean needsApproval = !action.preapprovedAt(
                severityTrust.granting(tx, incident, request.requester(), action.id(), request.parameters()));
        String id = newId();
        String targetKey = targetKey(action, request.parameters());
        boolean inserted = runs.insert(new NewContainmentRun(
                id,
                incident.id(),
                action.id(),
                events.json(request.parameters()),
                targetKey,
                request.reason(),
                request.requestKey(),
                needsApproval ? RunState.PENDING_APPROVAL : RunState.QUEUED,
                request.requester(),
                now,
                incident.severity().map(Enum::name),
                needsApproval,
                needsApproval ? Optional.of(now.plus(approvalTtl)) : Optional.empty()));
        if (!inserted) {
            Optional<ContainmentRun> byRequest = request.requestKey().flatMap(runs::findByRequestKey);
            if (byRequest.isPresent()) {
                return new FireResult.AlreadyRequested(byRequest.get(), action);
            }
            return runs.findLive(incident.id(), targetKey)
                    .<FireResult>map(live -> new FireResult.AlreadyLive(live, action))
                    .orElseGet(() ->
                            FireResult.Refused.because("Someone changed this action at the same moment; try again."));
        }
        return announce(tx, runs.find(id).orElseThrow(), action);
    }

    /**
     * Containment belongs to its target: when the same action on the same target is live on another incident (and not
     * on this one), links this incident to that run rather than firing again. Firings on one target are serialized
     * across incidents for the rest of the transaction.
     */
    private Optional<FireResult> linkToLiveElsewhere(
            Storage.Tx tx, Incident incident, FireRequest request, ContainmentAction action, Instant now) {
        String targetKey = targetKey(action, request.parameters());
        ContainmentLinkDao links = tx.attach(ContainmentLinkDao.class);
        links.lockTarget(targetKey);
        if (tx.attach(ContainmentRunDao.class)
                .findLive(incident.id(), targetKey)
                .isPresent()) {
            return Optional.empty();
        }
        Optional<ContainmentRun> elsewhere = links.liveElsewhere(targetKey, incident.id());
        if (elsewhere.isEmpty()) {
            return Optional.empty();
        }
        ContainmentRun run = elsewhere.get();
        boolean newly = links.link(incident.id(), run.id(), request.requester(), now);
        if (newly) {
            ObjectNode details = events.details(run)
                    .put("incident", run.incident().toString())
                    .put("reason", request.reason())
                    .put(
                            "text",
                            "relies on " + action.title() + " " + action.describe(run.parameters()) + " of "
                                    + run.incident() + " (" + run.id() + ")");
            TimelineRecorder.record(
                    tx, incident.id(), request.requester(), EventKinds.CONTAINMENT_LINKED, details, now);
            // The run's own incident learns it too: its card says who else relies on it, and why an undo may be
            // refused.
            ObjectNode owner = events.details(run)
                    .put("relied_on_by", incident.key().toString())
                    .put(
                            "text",
                            action.title() + " " + action.describe(run.parameters()) + " (" + run.id()
                                    + ") is relied on by " + incident.key());
            TimelineRecorder.record(
                    tx, run.incidentId(), request.requester(), EventKinds.CONTAINMENT_LINKED, owner, now);
        }
        return Optional.of(new FireResult.Linked(run, action, newly));
    }

    /** Records a new run on the timeline and enqueues its call, or its approval request and expiry. */
    private FireResult announce(Storage.Tx tx, ContainmentRun run, ContainmentAction action) {
        boolean needsApproval = run.approval().needed();
        ObjectNode details = events.details(run)
                .put("title", action.title())
                .put("reason", run.reason())
                .put("needs_approval", needsApproval)
                .put("rule", action.approvalRule());
        details.put("severity", run.severity().map(Enum::name).orElse(null));
        run.approval().expiresAt().ifPresent(at -> details.put("approval_expires_at", at.toString()));
        String text = action.title() + " " + action.describe(run.parameters())
                + (needsApproval ? ", waiting for an approver" : ", firing now");
        if (needsApproval) {
            events.append(
                    tx,
                    run,
                    run.requestedBy(),
                    EventKinds.CONTAINMENT_REQUESTED,
                    details,
                    text,
                    Optional.of(Notice.APPROVAL_REQUESTED));
            tx.jobs().enqueue(EXPIRY_JOB, run.id(), run.approval().expiresAt().orElseThrow());
            return new FireResult.AwaitingApproval(run, action);
        }
        events.append(tx, run, run.requestedBy(), EventKinds.CONTAINMENT_REQUESTED, details, text, Optional.empty());
        tx.jobs().enqueue(ACTION_JOB, run.id(), run.requestedAt(), JobQueueDao.URGENT);
        return new FireResult.Fired(run, action);
    }

    /**
     * What {@code request} would send, without writing or sending anything, or why it would be refused; empty when
     * there is no such incident.
     */
    public Optional<Preview> preview(FireRequest request) {
        Validated valid = validate(request);
        if (valid.refused().isPresent()) {
            throw new IllegalArgumentException(valid.refused().get().message());
        }
        ContainmentAction action = valid.action();
        return storage.inTransaction(
                        tx -> tx.incidents().find(request.incident().id()))
                .map(incident -> {
                    Map<String, String> values = values(
                            request.parameters(),
                            incident.key(),
                            request.reason(),
                            request.requester(),
                            "(a new action run id)");
                    action.capture()
                            .ifPresent(
                                    c -> c.keep().keySet().forEach(name -> values.put(name, "(read before firing)")));
                    return new Preview(
                            incident,
                            action,
                            !action.preapprovedAt(incident.severity()),
                            action.capture()
                                    .map(c -> c.request().render(action.target(), values, Optional.empty(), mapper)),
                            action.request()
                                    .render(action.target(), values, Optional.of("(a new action run id)"), mapper),
                            action.undo()
                                    .render(
                                            action.target(),
                                            values,
                                            Optional.of("(a new action run id)-undo-1"),
                                            mapper));
                });
    }

    /** What came of an approval, a denial or an undo request. */
    public sealed interface Decision {
        /** It was recorded; the run as it is now. */
        record Done(ContainmentRun run, ContainmentAction action) implements Decision {}

        /** Nothing was changed (or only an expiry was recorded): why, ready to show the person who clicked. */
        record Refused(String message) implements Decision {}
    }

    /** Approves a run waiting for approval: its call is queued at once. */
    public Decision approve(String runId, String approver) {
        return decide(runId, approver, true);
    }

    /** Denies (or, for the requester, withdraws) a run waiting for approval. */
    public Decision deny(String runId, String user) {
        return decide(runId, user, false);
    }

    private Decision decide(String runId, String user, boolean approve) {
        Decision decision = storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            Optional<ContainmentRun> found = runs.lock(runId);
            if (found.isEmpty()) {
                return new Decision.Refused("There is no containment action run " + runId + ".");
            }
            ContainmentRun run = found.get();
            String title = title(run);
            if (run.state() != RunState.PENDING_APPROVAL) {
                return new Decision.Refused(
                        title + " (" + run.id() + ") is no longer waiting for approval: " + stateSentence(run) + ".");
            }
            if (approve && user.equals(run.requestedBy())) {
                return new Decision.Refused("You asked for " + title + ", so someone else must approve it.");
            }
            boolean withdrawing = !approve && user.equals(run.requestedBy());
            if (!withdrawing && !approvers.mayApprove(user)) {
                return new Decision.Refused(
                        "Only approvers may " + (approve ? "approve" : "deny") + " containment actions.");
            }
            Instant now = clock.instant();
            if (!now.isBefore(run.approval().expiresAt().orElse(Instant.MAX))) {
                expire(tx, run, now);
                return new Decision.Refused("This approval request for " + title + " expired at "
                        + run.approval().expiresAt().orElseThrow()
                        + " and can no longer be approved. Fire the action again if it is still needed.");
            }
            runs.decide(run.id(), approve ? RunState.QUEUED : RunState.DENIED, Optional.of(user), now);
            ContainmentRun decided = runs.find(run.id()).orElseThrow();
            ObjectNode details = events.details(decided).put("requested_by", run.requestedBy());
            if (approve) {
                events.append(
                        tx,
                        decided,
                        user,
                        EventKinds.CONTAINMENT_APPROVED,
                        details,
                        title + " approved, firing now",
                        Optional.of(Notice.APPROVED));
                tx.jobs().enqueue(ACTION_JOB, run.id(), now, JobQueueDao.URGENT);
            } else {
                events.append(
                        tx,
                        decided,
                        user,
                        EventKinds.CONTAINMENT_DENIED,
                        details,
                        title + (user.equals(run.requestedBy()) ? " withdrawn" : " denied"),
                        Optional.of(Notice.DENIED));
            }
            return new Decision.Done(decided, catalog.find(run.action()).orElse(null));
        });
        wakeJobs.run();
        return decision;
    }

    /** Job handler of {@link #EXPIRY_JOB}: an approval request nobody decided on in time expires. */
    public void expireJob(String runId) {
        storage.inTransaction(tx -> {
            tx.attach(ContainmentRunDao.class)
                    .lock(runId)
                    .filter(r -> r.state() == RunState.PENDING_APPROVAL)
                    .ifPresent(run -> expire(tx, run, clock.instant()));
            return null;
        });
        wakeJobs.run();
    }

    private void expire(Storage.Tx tx, ContainmentRun run, Instant now) {
        ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
        if (now.isBefore(run.approval().expiresAt().orElse(now))) {
            throw new io.firebreak.bot.platform.jobs.RetryLater(
                    run.approval().expiresAt().get(), "approval of " + run.id() + " not due to expire yet");
        }
        if (runs.decide(run.id(), RunState.EXPIRED, Optional.empty(), now)) {
            ContainmentRun expired = runs.find(run.id()).orElseThrow();
            events.append(
                    tx,
                    expired,
                    IncidentService.FIREBREAK,
                    EventKinds.CONTAINMENT_EXPIRED,
                    events.details(expired)
                            .put(
                                    "expired_at",
                                    run.approval().expiresAt().orElse(now).toString()),
                    title(run) + ": nobody approved it in time",
                    Optional.of(Notice.EXPIRED));
        }
    }

    /**
     * A request to undo a run.
     *
     * @param run the run's id, or the action's id when exactly one run of it is in effect on the incident
     */
    public record UndoRequest(IncidentKey incident, String run, String user, String reason) {}

    /** Queues the undo call of a run in effect. */
    public Decision undo(UndoRequest request) {
        Decision decision = storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            Optional<ContainmentRun> found = runs.lock(request.run())
                    .filter(r -> r.incidentId() == request.incident().id());
            if (found.isEmpty()) {
                List<ContainmentRun> inEffect = runs
                        .liveForIncident(request.incident().id())
                        .stream()
                        .filter(r -> r.action().equals(request.run()) && r.state() == RunState.SUCCEEDED)
                        .toList();
                if (inEffect.size() != 1) {
                    return new Decision.Refused(
                            inEffect.isEmpty()
                                    ? request.incident() + " has no action run " + request.run()
                                            + " in effect. `show` lists its runs on the card."
                                    : request.run() + " is in effect " + inEffect.size() + " times on "
                                            + request.incident() + "; say which run: "
                                            + inEffect.stream()
                                                    .map(ContainmentRun::id)
                                                    .collect(Collectors.joining(", "))
                                            + ".");
                }
                found = runs.lock(inEffect.get(0).id());
            }
            ContainmentRun run = found.orElseThrow();
            String title = title(run);
            List<Long> relying = tx.attach(ContainmentLinkDao.class).openIncidentsRelyingOn(run.id());
            if (!relying.isEmpty() && run.undoable()) {
                return new Decision.Refused(
                        title + " (" + run.id() + ") cannot be undone from " + request.incident() + ": "
                                + relying.stream()
                                        .map(id -> new IncidentKey(id).toString())
                                        .collect(Collectors.joining(", "))
                                + (relying.size() == 1 ? " still relies" : " still rely") + " on it. Close "
                                + (relying.size() == 1 ? "that incident" : "those incidents")
                                + " first, or undo it when nothing needs it.");
            }
            if (!run.undoable()) {
                return new Decision.Refused(
                        title + " (" + run.id() + ") cannot be undone: " + stateSentence(run) + ".");
            }
            if (run.undo()
                    .map(u -> u.state() == UndoState.QUEUED || u.state() == UndoState.RUNNING)
                    .orElse(false)) {
                return new Decision.Refused(
                        "The undo of " + title + " (" + run.id() + ") is already under way, asked for by "
                                + Outcome.person(run.undo().get().requestedBy()) + ".");
            }
            runs.requestUndo(run.id(), request.user(), request.reason(), clock.instant());
            ContainmentRun asked = runs.find(run.id()).orElseThrow();
            events.append(
                    tx,
                    asked,
                    request.user(),
                    EventKinds.CONTAINMENT_UNDO_REQUESTED,
                    events.details(asked).put("reason", request.reason()),
                    "undo of " + title + " asked for",
                    Optional.empty());
            tx.jobs().enqueue(UNDO_JOB, run.id(), clock.instant(), JobQueueDao.URGENT);
            return new Decision.Done(asked, catalog.find(run.action()).orElse(null));
        });
        wakeJobs.run();
        return decision;
    }

    public Optional<ContainmentRun> find(String runId) {
        return storage.inTransaction(tx -> tx.attach(ContainmentRunDao.class).find(runId));
    }

    /**
     * Sends again a run whose outcome is unknown (Firebreak stopped during its call): the same call, with the same
     * {@code Idempotency-Key}, so a target that did apply it the first time does not apply it twice.
     */
    public Decision retry(String runId, String user) {
        Decision decision = storage.inTransaction(tx -> {
            ContainmentRunDao runs = tx.attach(ContainmentRunDao.class);
            Optional<ContainmentRun> found = runs.lock(runId);
            if (found.isEmpty()) {
                return new Decision.Refused("There is no action run " + runId + ".");
            }
            ContainmentRun run = found.get();
            String title = title(run);
            if (!run.unknown()) {
                return new Decision.Refused(title + " (" + run.id()
                        + ") has a known outcome, so there is nothing to retry: " + stateSentence(run) + ".");
            }
            String targetKey = targetKey(run.action(), run.parameters());
            ContainmentLinkDao links = tx.attach(ContainmentLinkDao.class);
            links.lockTarget(targetKey);
            Optional<ContainmentRun> live = runs.findLive(run.incidentId(), targetKey)
                    .or(() -> links.liveElsewhere(targetKey, run.incidentId()));
            if (live.isPresent()) {
                return new Decision.Refused(title + " on the same target is already "
                        + live.get().state().label() + " as " + live.get().id() + " ("
                        + live.get().incident() + "); nothing was sent.");
            }
            if (!runs.retryUnknown(run.id(), "sent again by " + user)) {
                return new Decision.Refused(
                        "The undo of " + title + " (" + run.id() + ") is under way; nothing was sent.");
            }
            ContainmentRun queued = runs.find(run.id()).orElseThrow();
            events.append(
                    tx,
                    queued,
                    user,
                    EventKinds.CONTAINMENT_RETRIED,
                    events.details(queued).put("idempotency_key", run.id()),
                    title + " sent again with the same Idempotency-Key",
                    Optional.empty());
            tx.jobs().enqueue(ACTION_JOB, run.id(), clock.instant(), JobQueueDao.URGENT);
            return new Decision.Done(queued, catalog.find(run.action()).orElse(null));
        });
        wakeJobs.run();
        return decision;
    }

    /** Runs whose outcome is unknown and that are not undone: the card shows them with Retry and Undo. */
    public List<ContainmentRun> unknown(IncidentKey incident) {
        return runs(incident).stream()
                .filter(ContainmentRun::unknown)
                .filter(r -> r.undo().map(u -> u.state() != UndoState.SUCCEEDED).orElse(true))
                .toList();
    }

    /** Every run of the incident, oldest first. */
    public List<ContainmentRun> runs(IncidentKey incident) {
        return storage.inTransaction(tx -> tx.attach(ContainmentRunDao.class).forIncident(incident.id()));
    }

    /**
     * The severity that would pre-approve {@code requester} firing {@code action} with {@code parameters} on {@code incident}
     * now; empty means every action needs an approver (not assessed, or not confirmed by a responder). For forms and
     * lists, so they say what firing will do.
     */
    public Optional<Severity> preApproving(
            Incident incident, String requester, String action, Map<String, String> parameters) {
        return storage.inTransaction(tx -> severityTrust.granting(tx, incident, requester, action, parameters));
    }

    /** Runs of other incidents that {@code incident} relies on and that are waiting, running or in effect. */
    public List<ContainmentRun> liveLinked(IncidentKey incident) {
        return storage.inTransaction(tx -> tx.attach(ContainmentLinkDao.class).liveLinked(incident.id()));
    }

    /** The open incidents, besides its own, that rely on {@code run}. */
    public List<IncidentKey> relyingOn(String runId) {
        return storage.inTransaction(tx -> tx.attach(ContainmentLinkDao.class).openIncidentsRelyingOn(runId)).stream()
                .map(IncidentKey::new)
                .toList();
    }

    /** Runs waiting, running or in effect, oldest first: what the card shows. */
    public List<ContainmentRun> live(IncidentKey incident) {
        return storage.inTransaction(tx -> tx.attach(ContainmentRunDao.class).liveForIncident(incident.id()));
    }

    /** Remembers the approval request's Slack message, to update it once decided. */
    public void recordApprovalMessage(String runId, String channel, String ts) {
        storage.inTransaction(tx -> {
            tx.attach(ContainmentRunDao.class).setApprovalMessage(runId, channel, ts);
            return null;
        });
    }

    /** Remembers the outcome's Slack message (with its Undo button), to update it once undone. */
    public void recordOutcomeMessage(String runId, String channel, String ts) {
        storage.inTransaction(tx -> {
            tx.attach(ContainmentRunDao.class).setOutcomeMessage(runId, channel, ts);
            return null;
        });
    }

    /** The action's title, or its id when the catalog no longer has it. */
    public String title(ContainmentRun run) {
        return catalog.title(run.action());
    }

    /** Where a run is, as a sentence part: "it was denied by U123", "it is in effect". */
    public static String stateSentence(ContainmentRun run) {
        String by =
                run.approval().decidedBy().map(u -> " by " + Outcome.person(u)).orElse("");
        return switch (run.state()) {
            case PENDING_APPROVAL -> "it is waiting for approval; deny it instead";
            case DENIED -> "it was denied" + by;
            case EXPIRED -> "nobody approved it in time";
            case QUEUED, RUNNING -> "it has not finished yet; wait for its outcome";
            case SUCCEEDED -> "it is in effect";
            case FAILED ->
                "it never took effect"
                        + run.execution().outcome().map(o -> " (" + o + ")").orElse("");
            case UNDONE ->
                "it was already undone"
                        + run.undo()
                                .map(u -> " by " + Outcome.person(u.requestedBy()))
                                .orElse("");
        };
    }

    /** The placeholder values of a call: the parameters and the built-ins. */
    static Map<String, String> values(
            Map<String, String> parameters, IncidentKey incident, String reason, String requester, String runId) {
        Map<String, String> values = new LinkedHashMap<>(parameters);
        values.put("incident", incident.toString());
        values.put("reason", reason);
        values.put("requester", requester);
        values.put("action_run", runId);
        return values;
    }

    /** The action a request names, or why it cannot be fired as asked. */
    private record Validated(ContainmentAction action, Optional<FireResult.Refused> refused) {}

    /** Why {@code request} cannot be fired whatever the incident's state, if it cannot; writes nothing. */
    public Optional<FireResult.Refused> refusal(FireRequest request) {
        return validate(request).refused();
    }

    private Validated validate(FireRequest request) {
        Optional<ContainmentAction> found = catalog.find(request.action());
        if (found.isEmpty()) {
            return new Validated(
                    null,
                    Optional.of(FireResult.Refused.because("`" + request.action() + "` is not a containment action"
                            + (catalog.actions().isEmpty()
                                    ? "; the catalog has none."
                                    : "; use one of " + catalog.ids() + "."))));
        }
        ContainmentAction action = found.get();
        Map<String, String> problems = action.problems(request.parameters());
        if (!problems.isEmpty()) {
            return new Validated(
                    action, Optional.of(new FireResult.Refused(String.join("; ", problems.values()) + ".", problems)));
        }
        if (!action.target().configured()) {
            return new Validated(
                    action,
                    Optional.of(FireResult.Refused.because(
                            action.title() + " cannot run: " + action.target().notConfigured() + ".")));
        }
        return new Validated(action, Optional.empty());
    }

    /** The action and its parameters, sorted and encoded, as one text: the same target always gives the same key. */
    private static String targetKey(ContainmentAction action, Map<String, String> parameters) {
        return targetKey(action.id(), parameters);
    }

    private static String targetKey(String actionId, Map<String, String> parameters) {
        return actionId + "?"
                + new TreeMap<>(parameters)
                        .entrySet().stream()
                                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                                .collect(Collectors.joining("&"));
    }

    /** {@code ca-} and 10 characters (50 bits): unique across databases, short enough to type. */
    private String newId() {
        StringBuilder id = new StringBuilder("ca-");
        for (int i = 0; i < 10; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
