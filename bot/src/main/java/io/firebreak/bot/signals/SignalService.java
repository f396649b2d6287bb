package io.firebreak.bot.signals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.config.IntakeSettings;
import io.firebreak.bot.platform.config.SignalSettings;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.rules.Facts;
import io.firebreak.bot.rules.RulesEngine;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Teams;
import io.firebreak.storage.intake.ReportDao;
import io.firebreak.storage.signals.SignalDao;
import io.firebreak.storage.signals.StoredSignal;
import io.firebreak.storage.signals.StormJoin;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes in alerts: counts them against their source's rate, stores every alert before answering, and groups them in the
 * same transaction. Alerts of one fingerprint, or of one workflow within the grouping window, make one signal; a new
 * signal opens an incident or joins the open one for its run or workflow, is matched against the rules, and is
 * announced. After that its alerts are only counted: a digest job writes at most one timeline entry and one message per
 * signal per interval, so a storm of ten thousand alerts is one incident with a count. A resolved alert is recorded and
 * shown; it never changes the incident.
 */
public final class SignalService {
    /** Counts a signal's alerts onto the timeline and into its thread; instance {@code <signal id>:<n>|first}. */
    public static final String DIGEST_JOB = "signal-digest";
    /** How long an answered signature is remembered: longer than a signature is accepted either side of now. */
    public static final Duration REPLAY_MEMORY = Duration.ofMinutes(15);

    private static final Duration RATE_MEMORY = Duration.ofHours(1);
    private static final String FIRST = "first";

    private final Storage storage;
    private final IncidentService incidents;
    private final SignalSettings settings;
    private final IntakeSettings intake;
    private final RulesEngine rules;
    private final RunLink runs;
    private final SignalAnnouncer announcer;
    private final ObjectMapper mapper;
    private final Tenancy tenancy;

    public SignalService(
            Storage storage,
            IncidentService incidents,
            SignalSettings settings,
            IntakeSettings intake,
            RulesEngine rules,
            RunLink runs,
            SignalAnnouncer announcer,
            ObjectMapper mapper,
            Tenancy tenancy) {
        this.tenancy = tenancy;
        this.storage = storage;
        this.incidents = incidents;
        this.settings = settings;
        this.intake = intake;
        this.rules = rules;
        this.runs = runs;
        this.announcer = announcer;
        this.mapper = mapper;
    }

    /** What came of a notification. */
    public sealed interface Result permits Accepted, RateLimited {}

    /**
     * Every alert stored.
     *
     * @param alerts     alerts stored
     * @param resolved   how many of them said resolved
     * @param signals    the signals they joined ({@code SIG-<n>}), new ones included
     * @param newSignals how many signals they started
     * @param incidents  the incidents of those signals
     * @param unmatched  resolved alerts for which no signal was open: stored, nothing to join
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Accepted(
            int alerts, int resolved, List<String> signals, int newSignals, List<String> incidents, int unmatched)
            implements Result {}

    /** Over the source's rate; nothing was stored. */
    public record RateLimited(Duration retryAfter) implements Result {}

    /**
     * Stores {@code alerts} from {@code source}. A request whose {@code signature} was answered before (within
     * {@link #REPLAY_MEMORY}) gets the same answer and stores nothing.
     */
    public Result receive(SignalSource source, List<Alert> alerts, Optional<String> signature) {
        Instant now = storage.clock().instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        if (signature.isEmpty() && alerts.size() == 1) {
            Optional<Result> joined = joinAlone(source, alerts.get(0), now, window);
            if (joined.isPresent()) {
                return joined.get();
            }
        }
        Result result;
        try {
            // One transaction, one commit: the replay check, the rate count and the alerts. The count's row is this
            // session's own (SignalDao.countRequest), so requests do not queue on one another's commits.
            result = storage.inTransaction(tx -> {
                SignalDao dao = tx.attach(SignalDao.class);
                if (signature.isPresent()) {
                    Optional<Accepted> replayed = answered(tx, signature.get());
                    if (replayed.isPresent()) {
                        return replayed.get();
                    }
                }
                int requests = dao.countRequest(source.name(), window);
                if (requests > source.ratePerMinute()) {
                    throw new OverRate();
                }
                if (requests == 1) {
                    // Once a minute per source is enough to keep the table small.
                    dao.forgetRatesBefore(window.minus(RATE_MEMORY));
                }
                Accepted stored = store(tx, source, alerts, now);
                if (signature.isPresent()) {
                    dao.forgetReplaysBefore(now.minus(REPLAY_MEMORY));
                    if (!dao.remember(signature.get(), now, json(stored))) {
                        throw new Replayed();
                    }
                }
                return stored;
            });
        } catch (OverRate e) {
            return new RateLimited(retryAfter(now, window));
        } catch (Replayed e) {
            return storage.inTransaction(tx -> answered(tx, signature.get())).orElseThrow();
        }
        if (result instanceof Accepted accepted && accepted.newSignals() > 0) {
            incidents.wakeJobs();
        }
        return result;
    }

    /**
     * A storm's usual request, one alert joining an open signal, in one statement that commits on its own: the rate
     * count and the alert ({@link StormJoin#countAndJoinOpen}). Empty when it stored nothing because no signal is open
     * (the transaction of {@link #receive} then opens one); a request at the source's rate is refused here.
     */
    private Optional<Result> joinAlone(SignalSource source, Alert alert, Instant now, Instant window) {
        StormJoin.Done done = storage.statementAlone(connection -> StormJoin.countAndJoinOpen(
                connection,
                source.name(),
                alert.fingerprint(),
                alert.workflow(),
                joinable(source),
                now.minus(settings.groupWindow()),
                window,
                source.ratePerMinute(),
                alert.status(),
                now,
                alert.payload(),
                DIGEST_JOB));
        if (done.joined().isEmpty()) {
            return done.countedBefore() >= source.ratePerMinute()
                    ? Optional.of(new RateLimited(retryAfter(now, window)))
                    : Optional.empty();
        }
        if (done.countedBefore() == 0) {
            // The first request of the minute: keep the table small, as the transaction of receive does.
            storage.inStatement(tx -> tx.attach(SignalDao.class).forgetRatesBefore(window.minus(RATE_MEMORY)));
        }
        StoredSignal signal = done.joined().get().signal();
        if (!done.joined().get().jobWaiting()) {
            storage.inTransaction(tx -> {
                scheduleDigest(tx, signal, now);
                return null;
            });
        }
        IncidentKey incident = new IncidentKey(signal.incidentId());
        LogContext.incident(incident);
        return Optional.of(new Accepted(
                1, alert.resolved() ? 1 : 0, List.of("SIG-" + signal.id()), 0, List.of(incident.toString()), 0));
    }

    private static Duration retryAfter(Instant now, Instant window) {
        return Duration.between(now, window.plus(Duration.ofMinutes(1)))
                .plusSeconds(1)
                .truncatedTo(ChronoUnit.SECONDS);
    }

    private Accepted store(Storage.Tx tx, SignalSource source, List<Alert> alerts, Instant now) {
        SignalDao dao = tx.attach(SignalDao.class);
        Map<String, StoredSignal> byGroup = new HashMap<>();
        Map<Long, StoredSignal> touched = new LinkedHashMap<>();
        Set<Long> created = new LinkedHashSet<>();
        // Whether the signal's digest was seen waiting when its last alert here was stored: it will count them all.
        Map<Long, Boolean> digestSeen = new HashMap<>();
        int resolved = 0;
        int unmatched = 0;
        for (Alert alert : alerts) {
            resolved += alert.resolved() ? 1 : 0;
            String cacheKey = alert.workflow().map(w -> "wf:" + w).orElse("fp:" + alert.fingerprint());
            StoredSignal cached = byGroup.get(cacheKey);
            if (cached == null) {
                // A storm's usual alert: its open signal found and the alert stored in one round trip.
                Optional<SignalDao.Joined> joined = dao.joinOpen(
                        source.name(),
                        alert.fingerprint(),
                        alert.workflow().orElse(null),
                        now.minus(settings.groupWindow()),
                        alert.status(),
                        now,
                        alert.payload(),
                        DIGEST_JOB,
                        joinable(source));
                if (joined.isPresent()) {
                    StoredSignal joinedSignal = joined.get().signal();
                    byGroup.put(cacheKey, joinedSignal);
                    touched.put(joinedSignal.id(), joinedSignal);
                    digestSeen.put(joinedSignal.id(), joined.get().jobWaiting());
                    continue;
                }
            }
            Optional<StoredSignal> signal = Optional.ofNullable(cached);
            if (signal.isEmpty() && alert.resolved()) {
                dao.insertAlert(null, source.name(), alert.fingerprint(), alert.status(), now, alert.payload());
                unmatched++;
                continue;
            }
            if (signal.isEmpty()) {
                // A storm's first alerts all wait here for the one that opens the signal: longer than the usual 2 s.
                tx.handle().execute("set local lock_timeout = '15s'");
                dao.lockGroup("signal:" + source.name() + ":" + cacheKey);
                signal = find(dao, source, alert, now);
                if (signal.isEmpty()) {
                    // The alerts of one notification were grouped by their sender: they are about one incident.
                    Optional<Long> sameNotification = created.stream()
                            .findFirst()
                            .map(id -> touched.get(id).incidentId());
                    signal = Optional.of(open(tx, source, alert, now, sameNotification));
                    created.add(signal.get().id());
                }
            }
            byGroup.put(cacheKey, signal.get());
            long id = signal.get().id();
            boolean digestWaiting = dao.insertAlertSeeingJob(
                    id,
                    source.name(),
                    alert.fingerprint(),
                    alert.status(),
                    now,
                    alert.payload(),
                    DIGEST_JOB,
                    JobIds.join(id, ""));
            touched.put(id, signal.get());
            digestSeen.put(id, digestWaiting);
        }
        for (StoredSignal signal : touched.values()) {
            if (!created.contains(signal.id()) && !digestSeen.get(signal.id())) {
                scheduleDigest(tx, signal, now);
            }
        }
        List<String> incidentKeys = touched.values().stream()
                .map(s -> new IncidentKey(s.incidentId()).toString())
                .distinct()
                .toList();
        if (!touched.isEmpty()) {
            LogContext.incident(
                    new IncidentKey(touched.values().iterator().next().incidentId()));
        }
        return new Accepted(
                alerts.size(),
                resolved,
                touched.keySet().stream().map(id -> "SIG-" + id).toList(),
                created.size(),
                incidentKeys,
                unmatched);
    }

    /** The open signal an alert belongs to: the same fingerprint, else the same workflow within the window. */
    private Optional<StoredSignal> find(SignalDao dao, SignalSource source, Alert alert, Instant now) {
        return dao.openFor(
                source.name(),
                alert.fingerprint(),
                alert.workflow().orElse(null),
                now.minus(settings.groupWindow()),
                joinable(source));
    }

    /** The workspaces whose incidents an alert of {@code source} may join: its {@code team}'s. */
    private Teams joinable(SignalSource source) {
        return tenancy.joinableBy(tenancy.configured(source.team()));
    }

    private static String groupKey(SignalSource source, Alert alert) {
        return source.name() + ":" + alert.fingerprint();
    }

    /** A new signal: joins the open incident of its run or workflow, or opens one; announced and matched against rules. */
    private StoredSignal open(
            Storage.Tx tx, SignalSource source, Alert alert, Instant now, Optional<Long> sameNotification) {
        SignalDao dao = tx.attach(SignalDao.class);
        ReportDao reports = tx.attach(ReportDao.class);
        // The source's workspace (its team): an alert joins only an incident of that workspace, found as such by the
        // lookups themselves (a newer incident of another workspace about the same run must not hide it).
        Workspace workspace = tenancy.configured(source.team());
        Teams joinable = tenancy.joinableBy(workspace);
        Optional<Long> existing = alert.runId()
                .flatMap(r -> dao.openIncidentWithRun(r, joinable).or(() -> reports.openIncidentWithRun(r, joinable)))
                .or(() -> alert.workflow()
                        .flatMap(w -> dao.openIncidentWithWorkflowSince(w, now.minus(settings.groupWindow()), joinable)
                                .or(() -> reports.openIncidentWithWorkflowSince(
                                        w, now.minus(intake.triageWindow()), joinable))))
                .or(() -> sameNotification);
        Incident incident = existing.flatMap(id -> tx.incidents().lock(id))
                .filter(i -> joinable.includes(i.teamId()))
                .orElseGet(() -> incidents.open(
                        tx,
                        new IncidentService.OpenRequest(
                                        alert.title(),
                                        Optional.empty(),
                                        source.actor(),
                                        IncidentService.UNASSIGNED,
                                        source.channel().or(intake::triageChannel),
                                        "signal")
                                .in(workspace)));
        long id = dao.insert(
                incident.id(),
                source.name(),
                groupKey(source, alert),
                alert.fingerprint(),
                alert.title(),
                alert.workflow().orElse(null),
                alert.runId().orElse(null),
                alert.severity().orElse(null),
                mapper.valueToTree(alert.labels()).toString(),
                now);
        ObjectNode details = mapper.createObjectNode();
        details.put("signal", "SIG-" + id);
        details.put("source", source.name());
        details.put("title", alert.title());
        details.put("status", alert.status());
        details.put("fingerprint", alert.fingerprint());
        alert.severity().ifPresent(s -> details.put("severity", s));
        alert.workflow().ifPresent(w -> details.put("workflow", w));
        alert.runId().ifPresent(r -> details.put("run_id", r));
        details.set("labels", mapper.valueToTree(alert.labels()));
        details.put("joined_existing", existing.isPresent());
        details.put("text", "alert from " + source.name() + ": " + alert.title() + " (" + alert.status() + ")");
        incidents.record(tx, incident.key(), source.actor(), EventKinds.SIGNAL_RECEIVED, details);
        alert.runId().ifPresent(run -> runs.attach(incident.key(), run, source.actor(), "SIG-" + id));
        tx.jobs().enqueue(DIGEST_JOB, JobIds.join(id, FIRST), now);
        rules.evaluate(
                tx,
                incident.key(),
                new Facts(source.name(), alert.labels(), alert.severity(), alert.workflow(), alert.runId()));
        return dao.find(id).orElseThrow();
    }

    /**
     * At most one digest per signal per interval, counted from its first alert: the alerts of the k-th interval are
     * counted at its end. Called only when no digest of the signal was seen waiting (one waiting will read this alert);
     * {@code enqueueUnlessWaiting} settles a race with another request doing the same.
     */
    private void scheduleDigest(Storage.Tx tx, StoredSignal signal, Instant now) {
        String prefix = JobIds.join(signal.id(), "");
        long interval = settings.digestInterval().toMillis();
        long k = Math.max(0, now.toEpochMilli() - signal.firstAt().toEpochMilli()) / interval + 1;
        tx.jobs()
                .enqueueUnlessWaiting(
                        DIGEST_JOB,
                        JobIds.join(signal.id(), k),
                        prefix,
                        signal.firstAt().plusMillis(k * interval));
    }

    /** Job handler of {@link #DIGEST_JOB}. */
    public void digest(String instanceId) {
        String[] parts = JobIds.split(instanceId, 2);
        long id = Long.parseLong(parts[0]);
        boolean first = parts[1].equals(FIRST);
        storage.inTransaction(tx -> {
            SignalDao dao = tx.attach(SignalDao.class);
            Optional<StoredSignal> found = dao.lock(id);
            if (found.isEmpty()) {
                return null;
            }
            StoredSignal signal = found.get();
            Incident incident = tx.incidents().find(signal.incidentId()).orElseThrow();
            LogContext.incident(incident.key());
            SignalDao.AlertCounts counts = dao.counts(id);
            int fresh = counts.alerts() - signal.digestedAlerts();
            Instant now = storage.clock().instant();
            if (!first && (fresh <= 0 || !incident.phase().isOpen())) {
                return null;
            }
            SignalSummary summary = new SignalSummary(
                    signal, incident, first, counts.alerts(), fresh, counts.resolved(), counts.lastStatus());
            if (!first) {
                ObjectNode details = mapper.createObjectNode();
                details.put("signal", summary.key());
                details.put("source", signal.source());
                details.put("alerts", counts.alerts());
                details.put("new_alerts", fresh);
                details.put("resolved", counts.resolved());
                counts.lastStatus().ifPresent(s -> details.put("last_status", s));
                details.put("text", countText(summary));
                incidents.record(tx, incident.key(), IncidentService.FIREBREAK, EventKinds.SIGNAL_UPDATED, details);
            }
            announcer.announce(tx, summary);
            dao.digested(id, counts.alerts(), now);
            return null;
        });
        incidents.wakeJobs();
    }

    /** E.g. "1,234 more alerts of AgentToolErrorRate (10,000 in all, 12 resolved)". */
    static String countText(SignalSummary s) {
        return String.format(
                        "%,d more alert%s of %s (%,d in all, %,d resolved)",
                        s.newAlerts(), s.newAlerts() == 1 ? "" : "s", s.signal().title(), s.alerts(), s.resolved())
                + (s.resolvedAtSource() ? "; the newest says resolved at the source, the incident stays as it is" : "");
    }

    /** A signal of an incident with its counts, for the card and the read API. */
    public record View(StoredSignal signal, int alerts, int resolved, Optional<String> lastStatus) {}

    /** The incident's signals, oldest first. */
    public List<View> forIncident(IncidentKey incident) {
        return storage.inTransaction(tx -> {
            SignalDao dao = tx.attach(SignalDao.class);
            List<View> views = new ArrayList<>();
            for (StoredSignal s : dao.forIncident(incident.id())) {
                SignalDao.AlertCounts c = dao.counts(s.id());
                views.add(new View(s, c.alerts(), c.resolved(), c.lastStatus()));
            }
            return views;
        });
    }

    private String json(Accepted accepted) {
        try {
            return mapper.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Accepted> answered(Storage.Tx tx, String signature) {
        return tx.attach(SignalDao.class).answered(signature).map(text -> {
            try {
                return mapper.readValue(text, Accepted.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Rolls back a request over its source's rate: nothing stored, and it is not counted. */
    private static final class OverRate extends RuntimeException {
        OverRate() {
            super("signal source over its rate", null, false, false);
        }
    }

    /** Rolls back a delivery another transaction answered first. */
    private static final class Replayed extends RuntimeException {
        Replayed() {
            super("replayed signal delivery", null, false, false);
        }
    }
}
