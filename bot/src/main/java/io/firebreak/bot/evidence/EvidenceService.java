package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.config.EvidenceSettings;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.platform.outbound.RetryPolicy;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.evidence.EvidenceDao;
import io.firebreak.storage.evidence.EvidenceFetch;
import io.firebreak.storage.evidence.EvidenceSnapshot;
import io.firebreak.storage.evidence.FailurePoint;
import io.firebreak.storage.evidence.FailurePointDao;
import io.firebreak.storage.evidence.FailurePointRecord;
import io.firebreak.storage.evidence.FetchState;
import io.firebreak.storage.evidence.RawPart;
import io.firebreak.storage.evidence.RawPartInfo;
import io.firebreak.storage.evidence.RunAttachment;
import io.firebreak.storage.evidence.TraceSource;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches agent runs to incidents and freezes their evidence: every attach request is recorded with a durable
 * fetch job in one transaction; the job fetches the trace after the ack, retries while the backend is down or
 * slow, and stores the raw responses byte for byte with their SHA-256 and the normalized evidence fields as a
 * new immutable snapshot. Failures leave no evidence row behind. Also keeps the incident's failure point.
 */
public final class EvidenceService {
    /** The durable job that fetches a run; its instance id is the fetch's id. */
    public static final String FETCH_JOB = "evidence-fetch";
    /** The durable job that tells the incident's thread about a fetch; instance id {@code <fetch id>:<what>}. */
    public static final String THREAD_JOB = "evidence-thread";

    /** One message about a fetch in the incident's thread: the thread job's instance id. */
    public record ThreadNotice(long fetchId, What what) {
        /** Which moment of the fetch the message is about. */
        public enum What {
            RETRYING,
            FAILED,
            DONE
        }

        /** The job instance id, {@code <fetch id>:<retrying|failed|done>}. */
        public String instanceId() {
            return JobIds.join(fetchId, what.name().toLowerCase(java.util.Locale.ROOT));
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static ThreadNotice parse(String instanceId) {
            String[] parts = JobIds.split(instanceId, 2);
            return new ThreadNotice(
                    Long.parseLong(parts[0]), What.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)));
        }
    }
    /** Run IDs are trace IDs, UUIDs or the like: no spaces, no slashes, at most 200 characters. */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=~-]{0,199}");
    /** How much of an error response body the timeline keeps. */
    static final int TIMELINE_BODY_LIMIT = 2000;

    private static final Logger log = LoggerFactory.getLogger(EvidenceService.class);

    private final Storage storage;
    private final ObjectMapper mapper;
    private final EvidenceSettings settings;
    private final Map<TraceSource, SourceClient> clients = new EnumMap<>(TraceSource.class);
    private final RetryPolicy retry;
    private final Runnable wakeJobs;
    private final io.firebreak.bot.platform.metrics.Metrics metrics;
    private final Clock clock;

    /**
     * @param clients  one per configured backend
     * @param wakeJobs called after a change commits, so its jobs run now rather than at the next poll
     */
    public EvidenceService(
            Storage storage,
            ObjectMapper mapper,
            EvidenceSettings settings,
            List<SourceClient> clients,
            Runnable wakeJobs,
            Clock clock) {
        this(storage, mapper, settings, clients, wakeJobs, clock, new io.firebreak.bot.platform.metrics.Metrics());
    }

    /** @param metrics counts fetches by source and outcome */
    public EvidenceService(
            Storage storage,
            ObjectMapper mapper,
            EvidenceSettings settings,
            List<SourceClient> clients,
            Runnable wakeJobs,
            Clock clock,
            io.firebreak.bot.platform.metrics.Metrics metrics) {
        this.metrics = metrics;
        this.storage = storage;
        this.mapper = mapper;
        this.settings = settings;
        clients.forEach(c -> this.clients.put(c.source(), c));
        this.retry = new RetryPolicy(
                settings.fetchAttempts(), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5));
        this.wakeJobs = wakeJobs;
        this.clock = clock;
    }

    /** A client for every backend {@code settings} configures, all sending through {@code http}. */
    public static List<SourceClient> clients(EvidenceSettings settings, OutboundHttp http, ObjectMapper mapper) {
        List<SourceClient> clients = new ArrayList<>();
        settings.langfuse().ifPresent(l -> clients.add(new LangfuseClient(http, l)));
        settings.langsmith().ifPresent(l -> clients.add(new LangSmithClient(http, mapper, l)));
        settings.otel().ifPresent(o -> clients.add(new OtelTracesClient(http, o)));
        return clients;
    }

    public EvidenceSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- attaching

    /**
     * A request to attach a run, from a person or from another feature (a user report).
     *
     * @param source   empty for the default: the run's earlier source, else the only configured backend
     * @param reportId the user report the run arrived with
     */
    public record AttachRequest(
            IncidentKey incident,
            String runId,
            Optional<TraceSource> source,
            String actor,
            Optional<String> reportId) {}

    /** What came of an attach request. */
    public sealed interface AttachOutcome {
        /** Recorded; the fetch job will freeze the evidence. {@code snapshotsBefore} > 0 for a fetch again. */
        record Accepted(RunAttachment attachment, long fetchId, int snapshotsBefore) implements AttachOutcome {}

        /** A fetch of this run is already under way; nothing was written. */
        record AlreadyFetching(RunAttachment attachment, EvidenceFetch fetch) implements AttachOutcome {}

        /** Nothing was written, for the reason given in words. */
        record Refused(String problem) implements AttachOutcome {}
    }

    /** Why {@code runId} cannot be a run ID, or empty when it can. */
    public static Optional<String> runIdProblem(String runId) {
        if (runId.isBlank()) {
            return Optional.of("A run ID is needed: the trace ID or run ID from your tracing backend.");
        }
        if (!RUN_ID.matcher(runId).matches()) {
            return Optional.of("`" + TextLimits.cut(runId, 80)
                    + "` is not a run ID: run IDs are up to 200 letters, digits and . _ : @ + = ~ -, "
                    + "starting with a letter or digit.");
        }
        return Optional.empty();
    }

    /** The backend for a request that names {@code named} (or none), or why there is none. */
    public AttachOutcome.Refused noSource(Optional<TraceSource> named) {
        if (named.isPresent()) {
            return new AttachOutcome.Refused(
                    named.get().label() + " is not configured: set " + EvidenceSettings.variables(named.get()) + ".");
        }
        List<TraceSource> configured = settings.configured();
        if (configured.isEmpty()) {
            return new AttachOutcome.Refused(
                    "No tracing backend is configured: set " + EvidenceSettings.variables(TraceSource.LANGFUSE)
                            + ", or " + EvidenceSettings.variables(TraceSource.LANGSMITH) + ", or "
                            + EvidenceSettings.variables(TraceSource.OTEL) + ".");
        }
        return new AttachOutcome.Refused("Say which source the run is in: "
                + configured.stream().map(TraceSource::word).collect(Collectors.joining(" or ")) + " ("
                + configured.size() + " are configured).");
    }

    /** Records the attach request and its fetch job in one transaction, or says why not; writes nothing on refusal. */
    public AttachOutcome attach(AttachRequest request) {
        String runId = request.runId().strip();
        Optional<String> badId = runIdProblem(runId);
        if (badId.isPresent()) {
            return new AttachOutcome.Refused(badId.get());
        }
        if (request.source().isPresent()
                && !clients.containsKey(request.source().get())) {
            return noSource(request.source());
        }
        Instant now = clock.instant();
        AttachOutcome outcome = storage.inTransaction(tx -> {
            Optional<Incident> incident = tx.incidents().lock(request.incident().id());
            if (incident.isEmpty()) {
                return new AttachOutcome.Refused("There is no incident " + request.incident() + ".");
            }
            if (incident.get().phase() == Phase.CLOSED) {
                return new AttachOutcome.Refused(
                        request.incident() + " is closed; runs can no longer be attached to it.");
            }
            EvidenceDao dao = tx.attach(EvidenceDao.class);
            Optional<RunAttachment> existing = dao.lockAttachment(incident.get().id(), runId);
            Optional<TraceSource> source = request.source()
                    .or(() -> existing.map(RunAttachment::source))
                    .or(settings::defaultSource)
                    .filter(clients::containsKey);
            if (source.isEmpty()) {
                return noSource(request.source());
            }
            if (existing.isPresent()) {
                Optional<EvidenceFetch> pending =
                        dao.pendingFetch(existing.get().id());
                if (pending.isPresent() && !stale(pending.get(), now)) {
                    return new AttachOutcome.AlreadyFetching(existing.get(), pending.get());
                }
                pending.ifPresent(p -> dao.finish(
                        p.id(),
                        FetchState.FAILED,
                        "abandoned: no progress since " + p.nextAttemptAt().orElse(p.requestedAt()),
                        now));
                int snapshots = dao.countSnapshots(existing.get().id());
                Optional<String> full = limitReached(dao, incident.get(), existing.get(), snapshots);
                if (full.isPresent()) {
                    return new AttachOutcome.Refused(full.get() + " Nothing was fetched.");
                }
                if (source.get() != existing.get().source()) {
                    if (snapshots > 0) {
                        return new AttachOutcome.Refused("Run " + runId + " is already attached to "
                                + request.incident() + " with evidence from "
                                + existing.get().source().label() + "; a run's snapshots all come from one source.");
                    }
                    dao.setSource(existing.get().id(), source.get());
                }
                request.reportId().ifPresent(r -> dao.linkReport(existing.get().id(), r));
                RunAttachment attachment =
                        dao.findAttachmentById(existing.get().id()).orElseThrow();
                long fetchId = requestFetch(
                        tx,
                        attachment,
                        request,
                        snapshots > 0 ? EventKinds.EVIDENCE_FETCH_REQUESTED : EventKinds.RUN_ATTACHED,
                        now);
                return new AttachOutcome.Accepted(attachment, fetchId, snapshots);
            }
            Optional<String> full = limitReached(dao, incident.get(), null, 0);
            if (full.isPresent()) {
                return new AttachOutcome.Refused(full.get() + " Nothing was attached.");
            }
            long id = dao.insertAttachment(
                    incident.get().id(),
                    runId,
                    source.get(),
                    request.actor(),
                    now,
                    request.reportId().orElse(null));
            RunAttachment attachment = dao.findAttachmentById(id).orElseThrow();
            return new AttachOutcome.Accepted(
                    attachment, requestFetch(tx, attachment, request, EventKinds.RUN_ATTACHED, now), 0);
        });
        if (outcome instanceof AttachOutcome.Accepted) {
            wakeJobs.run();
        }
        return outcome;
    }

    /**
     * Why no further snapshot may be stored for {@code run} (null for a run not yet attached) of {@code incident},
     * or empty when one may: the limits keep one incident, or one run fetched again and again, from filling the disk.
     */
    private Optional<String> limitReached(EvidenceDao dao, Incident incident, RunAttachment run, int runSnapshots) {
        if (run != null && runSnapshots >= settings.maxSnapshotsPerRun()) {
            return Optional.of("Run " + run.runId() + " already has " + runSnapshots + " snapshots on " + incident.key()
                    + ", the most kept of one run (FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_RUN is "
                    + settings.maxSnapshotsPerRun() + ").");
        }
        int total = dao.countIncidentSnapshots(incident.id());
        if (total >= settings.maxSnapshotsPerIncident()) {
            return Optional.of(incident.key() + " already holds " + total
                    + " evidence snapshots, the most kept of one incident (FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT is "
                    + settings.maxSnapshotsPerIncident() + ").");
        }
        return Optional.empty();
    }

    /** A pending fetch nobody is working on any more (its job was given up), which a new request replaces. */
    private static boolean stale(EvidenceFetch fetch, Instant now) {
        Instant lastExpected = fetch.nextAttemptAt()
                .map(at -> at.plus(Duration.ofMinutes(15)))
                .orElse(fetch.requestedAt().plus(Duration.ofHours(1)));
        return now.isAfter(lastExpected);
    }

    private long requestFetch(
            Storage.Tx tx, RunAttachment attachment, AttachRequest request, String kind, Instant now) {
        EvidenceDao dao = tx.attach(EvidenceDao.class);
        long fetchId = dao.insertFetch(attachment.id(), attachment.source(), request.actor(), now);
        ObjectNode details = mapper.createObjectNode();
        details.put(
                "text",
                (kind.equals(EventKinds.RUN_ATTACHED) ? "run " : "fetch again: run ") + attachment.runId() + " from "
                        + attachment.source().label());
        details.put("run_id", attachment.runId());
        details.put("source", attachment.source().name());
        details.put("fetch_id", fetchId);
        attachment.reportId().ifPresent(r -> details.put("report_id", r));
        TimelineRecorder.record(tx, attachment.incidentId(), request.actor(), kind, details, now);
        tx.jobs().enqueue(FETCH_JOB, String.valueOf(fetchId), now);
        return fetchId;
    }

    // ---------------------------------------------------------------- the fetch job

    private record Work(EvidenceFetch fetch, RunAttachment attachment) {}

    /**
     * Job handler for {@link #FETCH_JOB}: one attempt at fetching the run. Stores a snapshot, or records the
     * failure, or (backend down, slow or rate limiting) throws {@link RetryLater} after saying so in the thread.
     * Idempotent: a fetch that already ended is left alone.
     */
    public void runFetchJob(String instanceId) {
        long fetchId = Long.parseLong(instanceId);
        Optional<Work> started = storage.inTransaction(tx -> {
            EvidenceDao dao = tx.attach(EvidenceDao.class);
            return dao.startAttempt(fetchId)
                    .map(f ->
                            new Work(f, dao.findAttachmentById(f.attachmentId()).orElseThrow()));
        });
        if (started.isEmpty()) {
            return;
        }
        Work work = started.get();
        SourceClient client = clients.get(work.fetch().source());
        if (client == null) {
            fail(
                    work,
                    work.fetch().source().label() + " is no longer configured: set "
                            + EvidenceSettings.variables(work.fetch().source()),
                    List.of());
            return;
        }
        FetchResult result = client.fetch(work.attachment().runId(), settings.maxTraceBytes());
        if (result instanceof FetchResult.Fetched fetched) {
            metrics.evidenceFetch(work.fetch().source().word(), "fetched");
            store(work, fetched);
            return;
        }
        FetchResult.Failed failed = (FetchResult.Failed) result;
        if (failed.retryable()) {
            Optional<Instant> next = retry.next(work.fetch().attempts(), failed.last(), clock.instant());
            if (next.isPresent()) {
                retrying(work, failed, next.get());
                metrics.evidenceFetch(work.fetch().source().word(), "retry");
                throw new RetryLater(next.get(), failed.problem());
            }
            fail(
                    work,
                    failed.problem() + "; gave up after " + work.fetch().attempts() + " attempts",
                    failed.exchanges());
            return;
        }
        fail(work, failed.problem(), failed.exchanges());
    }

    private void retrying(Work work, FetchResult.Failed failed, Instant next) {
        Instant now = clock.instant();
        storage.inTransaction(tx -> {
            tx.attach(EvidenceDao.class).retryAt(work.fetch().id(), failed.problem(), next);
            ObjectNode details = fetchDetails(
                    work,
                    failed.problem() + "; trying again (attempt " + work.fetch().attempts() + " of "
                            + retry.maxAttempts() + " failed)");
            details.put("attempt", work.fetch().attempts());
            details.put("max_attempts", retry.maxAttempts());
            details.put("next_attempt_at", next.toString());
            details.set("exchanges", exchanges(failed.exchanges(), List.of(), 0));
            TimelineRecorder.recordOffCard(
                    tx,
                    work.attachment().incidentId(),
                    IncidentService.FIREBREAK,
                    EventKinds.EVIDENCE_FETCH_RETRYING,
                    details);
            if (work.fetch().attempts() == 1) {
                // Once per fetch: the thread learns it is still trying, then the outcome; the timeline has every
                // attempt.
                tx.jobs()
                        .enqueue(
                                THREAD_JOB,
                                new ThreadNotice(work.fetch().id(), ThreadNotice.What.RETRYING).instanceId(),
                                now);
            }
            return null;
        });
        wakeJobs.run();
    }

    private void fail(Work work, String problem, List<Exchange> exchanges) {
        metrics.evidenceFetch(work.fetch().source().word(), "failed");
        Instant now = clock.instant();
        storage.inTransaction(tx -> {
            if (tx.attach(EvidenceDao.class).finish(work.fetch().id(), FetchState.FAILED, problem, now) == 0) {
                return null;
            }
            ObjectNode details = fetchDetails(work, problem);
            details.put("attempts", work.fetch().attempts());
            details.set("exchanges", exchanges(exchanges, List.of(), 0));
            TimelineRecorder.record(
                    tx,
                    work.attachment().incidentId(),
                    IncidentService.FIREBREAK,
                    EventKinds.EVIDENCE_FETCH_FAILED,
                    details,
                    now);
            tx.jobs()
                    .enqueue(
                            THREAD_JOB,
                            new ThreadNotice(work.fetch().id(), ThreadNotice.What.FAILED).instanceId(),
                            now);
            return null;
        });
        wakeJobs.run();
        log.info(
                "fetch {} of run {} failed: {}",
                work.fetch().id(),
                work.attachment().runId(),
                problem);
    }

    /** The frozen form of a fetch: raw parts with their hashes; the normalized fields are read only when needed. */
    private record Frozen(List<RawPart> parts, String sha256, long bytes, boolean truncated) {}

    private Frozen freeze(FetchResult.Fetched fetched, Work work) {
        List<RawPart> parts = new ArrayList<>();
        byte[][] all = new byte[fetched.responses().size()][];
        long bytes = 0;
        boolean truncated = false;
        for (int i = 0; i < fetched.responses().size(); i++) {
            Exchange ex = fetched.responses().get(i).exchange();
            all[i] = ex.body();
            bytes += ex.body().length;
            truncated |= ex.truncated();
            parts.add(new RawPart(
                    i + 1,
                    ex.request().method(),
                    Redactor.redact(ex.request().uri().toString(), ex.request().secrets()),
                    ex.status().orElse(0),
                    contentType(ex),
                    ex.body(),
                    Sha256.hex(ex.body()),
                    ex.truncated()));
        }
        return new Frozen(parts, Sha256.hex(all), bytes, truncated);
    }

    private NormalizedRun normalize(Work work, FetchResult.Fetched fetched) {
        List<Normalizer.Body> bodies = fetched.responses().stream()
                .map(r -> new Normalizer.Body(
                        r.role(), r.exchange().body(), r.exchange().truncated()))
                .toList();
        try {
            return Normalizer.normalize(
                    work.fetch().source(),
                    work.attachment().runId(),
                    bodies,
                    fetched.notes(),
                    work.attachment().reportId());
        } catch (RuntimeException | StackOverflowError e) {
            // A reader bug must never cost the evidence: the raw bytes are still frozen.
            log.error(
                    "could not normalize run {} (fetch {}); storing it raw",
                    work.attachment().runId(),
                    work.fetch().id(),
                    e);
            return EvidenceExtractor.unreadable(
                    work.fetch().source(),
                    work.attachment().runId(),
                    "the trace could not be normalized (" + e.getClass().getSimpleName() + ")",
                    work.attachment().reportId());
        }
    }

    private void store(Work work, FetchResult.Fetched fetched) {
        Frozen frozen = freeze(fetched, work);
        // Reading a trace costs far more than hashing it: a byte-identical re-fetch is never normalized.
        boolean sameAsLatest = storage.inTransaction(tx -> tx.attach(EvidenceDao.class)
                        .latestSnapshot(work.attachment().id()))
                .filter(s -> s.sha256().equals(frozen.sha256()))
                .isPresent();
        NormalizedRun read = sameAsLatest ? null : normalize(work, fetched);
        Instant now = clock.instant();
        boolean stored;
        try {
            stored = storeInTransaction(work, fetched, frozen, read, now);
        } catch (LimitReached e) {
            fail(work, e.getMessage(), List.of());
            return;
        }
        if (stored) {
            wakeJobs.run();
        }
    }

    /** A snapshot limit reached while the fetch was under way; rolls the store back. */
    private static final class LimitReached extends RuntimeException {
        LimitReached(String problem) {
            super(problem, null, false, false);
        }
    }

    private boolean storeInTransaction(
            Work work, FetchResult.Fetched fetched, Frozen frozen, NormalizedRun read, Instant now) {
        return storage.inTransaction(tx -> {
            EvidenceDao dao = tx.attach(EvidenceDao.class);
            // The incident first, as attach does: two runs of one incident stored at once count snapshots in turn.
            Incident incident =
                    tx.incidents().lock(work.attachment().incidentId()).orElseThrow();
            dao.lockAttachmentById(work.attachment().id());
            Optional<EvidenceSnapshot> latest =
                    dao.latestSnapshot(work.attachment().id());
            if (latest.isPresent() && latest.get().sha256().equals(frozen.sha256())) {
                return recheck(tx, work, fetched, latest.get(), now);
            }
            Optional<String> full = limitReached(
                    dao,
                    incident,
                    work.attachment(),
                    dao.countSnapshots(work.attachment().id()));
            if (full.isPresent()) {
                throw new LimitReached(full.get());
            }
            if (dao.finish(work.fetch().id(), FetchState.SUCCEEDED, null, now) == 0) {
                return false;
            }
            NormalizedRun normalized = read != null ? read : normalize(work, fetched);
            int seq = dao.nextSnapshotSeq(work.attachment().id());
            Optional<ObjectNode> changes = latest.map(previous -> SnapshotDiff.between(
                    mapper,
                    previous.seq(),
                    previous.sha256(),
                    NormalizedRun.parse(previous.normalized()),
                    frozen.sha256(),
                    normalized));
            long snapshotId = dao.insertSnapshot(
                    work.attachment().id(),
                    work.fetch().id(),
                    seq,
                    work.fetch().source(),
                    now,
                    frozen.sha256(),
                    frozen.bytes(),
                    frozen.truncated(),
                    normalized.parseStatus(),
                    normalized.toJson(mapper).toString(),
                    changes.map(ObjectNode::toString).orElse(null));
            for (RawPart part : frozen.parts()) {
                dao.insertRaw(
                        snapshotId,
                        part.part(),
                        part.method(),
                        part.url(),
                        part.status(),
                        part.contentType().orElse(null),
                        part.body(),
                        part.body().length,
                        part.sha256(),
                        part.truncated());
            }
            TimelineRecorder.record(
                    tx,
                    work.attachment().incidentId(),
                    IncidentService.FIREBREAK,
                    EventKinds.EVIDENCE_FROZEN,
                    frozenDetails(work, fetched, frozen, normalized, seq, changes),
                    now);
            tx.jobs()
                    .enqueue(THREAD_JOB, new ThreadNotice(work.fetch().id(), ThreadNotice.What.DONE).instanceId(), now);
            return true;
        });
    }

    /**
     * The fetch returned exactly the bytes of the run's latest snapshot: no second copy is stored; the timeline
     * and the thread say the run was re-checked and is unchanged.
     */
    private boolean recheck(
            Storage.Tx tx, Work work, FetchResult.Fetched fetched, EvidenceSnapshot latest, Instant now) {
        EvidenceDao dao = tx.attach(EvidenceDao.class);
        if (dao.finishUnchanged(work.fetch().id(), latest.seq(), now) == 0) {
            return false;
        }
        ObjectNode details = fetchDetails(
                work,
                "re-checked: unchanged since snapshot " + latest.seq() + " (same SHA-256 "
                        + latest.sha256().substring(0, 12) + "…); nothing new stored");
        details.put("unchanged_since", latest.seq());
        details.put("sha256", latest.sha256());
        List<Exchange> kept =
                fetched.responses().stream().map(FetchResult.Response::exchange).toList();
        details.set("exchanges", exchanges(fetched.exchanges(), kept, latest.seq()));
        TimelineRecorder.record(
                tx,
                work.attachment().incidentId(),
                IncidentService.FIREBREAK,
                EventKinds.EVIDENCE_RECHECKED,
                details,
                now);
        tx.jobs().enqueue(THREAD_JOB, new ThreadNotice(work.fetch().id(), ThreadNotice.What.DONE).instanceId(), now);
        return true;
    }

    private ObjectNode frozenDetails(
            Work work,
            FetchResult.Fetched fetched,
            Frozen frozen,
            NormalizedRun run,
            int seq,
            Optional<ObjectNode> changes) {
        List<EvidenceField> present = run.presentFields();
        ObjectNode details = fetchDetails(
                work,
                "run " + work.attachment().runId() + " from "
                        + work.fetch().source().label() + " frozen as snapshot " + seq + " (" + present.size() + " of "
                        + EvidenceField.values().length + " fields present)");
        details.put("snapshot", seq);
        details.put("sha256", frozen.sha256());
        details.put("bytes", frozen.bytes());
        details.put("truncated", frozen.truncated());
        details.put("parse_status", run.parseStatus().name());
        ArrayNode presentNode = details.putArray("fields_present");
        ArrayNode missingNode = details.putArray("fields_missing");
        for (EvidenceField field : EvidenceField.values()) {
            (present.contains(field) ? presentNode : missingNode).add(field.key());
        }
        changes.ifPresent(c -> details.put("changes", c.path("summary").asText()));
        run.suggestion()
                .ifPresent(s -> details.put("suggested_failure_point", s.point().name()));
        List<Exchange> kept =
                fetched.responses().stream().map(FetchResult.Response::exchange).toList();
        details.set("exchanges", exchanges(fetched.exchanges(), kept, seq));
        return details;
    }

    private ObjectNode fetchDetails(Work work, String text) {
        ObjectNode details = mapper.createObjectNode();
        details.put("text", text);
        details.put("run_id", work.attachment().runId());
        details.put("source", work.fetch().source().name());
        details.put("fetch_id", work.fetch().id());
        return details;
    }

    /**
     * The requests and responses for the timeline, secrets removed. A body kept as evidence is not repeated:
     * its place says which part of which snapshot holds it, with its SHA-256.
     */
    private ArrayNode exchanges(List<Exchange> exchanges, List<Exchange> kept, int snapshotSeq) {
        ArrayNode list = mapper.createArrayNode();
        for (Exchange exchange : exchanges) {
            int part = kept.indexOf(exchange);
            // toJson redacts the whole body before cutting it: hand it only what the timeline keeps.
            byte[] shown = part >= 0
                    ? new byte[0]
                    : java.util.Arrays.copyOf(exchange.body(), Math.min(exchange.body().length, TIMELINE_BODY_LIMIT));
            ObjectNode json = new Exchange(
                            exchange.request(),
                            exchange.startedAt(),
                            exchange.elapsed(),
                            exchange.status(),
                            exchange.responseHeaders(),
                            shown,
                            exchange.truncated() || shown.length < exchange.body().length,
                            exchange.failure(),
                            exchange.retryAfter(),
                            exchange.error())
                    .toJson(mapper, TIMELINE_BODY_LIMIT);
            if (part >= 0) {
                ObjectNode response = (ObjectNode) json.get("response");
                response.remove("body");
                response.put("body_bytes", exchange.body().length);
                response.put("body_sha256", Sha256.hex(exchange.body()));
                response.put("body_stored_as", "evidence snapshot " + snapshotSeq + ", part " + (part + 1));
            }
            list.add(json);
        }
        return list;
    }

    private static Optional<String> contentType(Exchange exchange) {
        return exchange.responseHeaders().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals("content-type"))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    // ---------------------------------------------------------------- reading

    /** A run of an incident with where its evidence stands. */
    public record RunStatus(
            RunAttachment attachment,
            Optional<EvidenceFetch> latestFetch,
            Optional<EvidenceSnapshot> latestSnapshot,
            int snapshots) {

        /** The latest snapshot's normalized fields. */
        public Optional<NormalizedRun> normalized() {
            return latestSnapshot.map(s -> NormalizedRun.parse(s.normalized()));
        }
    }

    /** The incident's runs, first attached first. */
    public List<RunStatus> runs(long incidentId) {
        return storage.inTransaction(tx -> {
            EvidenceDao dao = tx.attach(EvidenceDao.class);
            return dao.attachments(incidentId).stream()
                    .map(a -> {
                        List<EvidenceSnapshot> snapshots = dao.snapshots(a.id());
                        return new RunStatus(
                                a,
                                dao.latestFetch(a.id()),
                                snapshots.isEmpty()
                                        ? Optional.empty()
                                        : Optional.of(snapshots.get(snapshots.size() - 1)),
                                snapshots.size());
                    })
                    .toList();
        });
    }

    /** The incident's runs, or empty when there is no such incident. */
    public Optional<List<RunStatus>> runs(IncidentKey key) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id())).map(incident -> runs(incident.id()));
    }

    /** A snapshot with what is known of its raw responses (their bodies stay in the database until streamed). */
    public record SnapshotWithParts(EvidenceSnapshot snapshot, List<RawPartInfo> parts) {}

    /** How much of a raw body one query reads while streaming it: what a download holds in memory at a time. */
    public static final int RAW_SLICE_BYTES = 1024 * 1024;

    /**
     * Writes a raw part's body to {@code out} byte for byte, slice by slice, each slice read in its own short
     * query: the whole body is never in memory, and no database connection waits on a slow reader. The parts are
     * immutable, so the slices are of one body.
     */
    public void streamRaw(RawPartInfo part, java.io.OutputStream out) throws java.io.IOException {
        for (long from = 0; from < part.bytes(); from += RAW_SLICE_BYTES) {
            long at = from;
            int length = (int) Math.min(RAW_SLICE_BYTES, part.bytes() - from);
            byte[] slice = storage.inTransaction(
                            tx -> tx.attach(EvidenceDao.class).rawSlice(part.snapshotId(), part.part(), at, length))
                    .orElseThrow(() -> new IllegalStateException("raw part " + part.part() + " is gone"));
            out.write(slice);
        }
    }

    /** Everything stored about one run of an incident. */
    public record RunEvidence(
            Incident incident,
            RunAttachment attachment,
            List<EvidenceFetch> fetches,
            List<SnapshotWithParts> snapshots) {}

    /** The run's attachment, fetches and snapshots with what is known of their raw parts; empty when not attached. */
    public Optional<RunEvidence> evidence(IncidentKey key, String runId) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()).flatMap(incident -> {
            EvidenceDao dao = tx.attach(EvidenceDao.class);
            return dao.findAttachment(key.id(), runId)
                    .map(a -> new RunEvidence(
                            incident,
                            a,
                            dao.fetches(a.id()),
                            dao.snapshots(a.id()).stream()
                                    .map(s -> new SnapshotWithParts(s, dao.rawPartInfos(s.id())))
                                    .toList()));
        }));
    }

    /** What the thread is told about a fetch. */
    public record FetchNotice(
            Incident incident,
            RunAttachment attachment,
            EvidenceFetch fetch,
            Optional<EvidenceSnapshot> snapshot,
            int maxAttempts) {}

    public Optional<FetchNotice> notice(long fetchId) {
        return storage.inTransaction(tx -> {
            EvidenceDao dao = tx.attach(EvidenceDao.class);
            return dao.findFetch(fetchId)
                    .flatMap(f -> dao.findAttachmentById(f.attachmentId())
                            .flatMap(a -> tx.incidents()
                                    .find(a.incidentId())
                                    .map(i -> new FetchNotice(
                                            i,
                                            a,
                                            f,
                                            f.unchangedSince()
                                                    .flatMap(seq -> dao.snapshot(a.id(), seq))
                                                    .or(() -> dao.snapshotOfFetch(fetchId)),
                                            retry.maxAttempts()))));
        });
    }

    // ---------------------------------------------------------------- failure point

    /** What came of setting a failure point. */
    public sealed interface CauseOutcome {
        record Set(FailurePointRecord record, Optional<FailurePointRecord> previous) implements CauseOutcome {}

        record Refused(String problem) implements CauseOutcome {}
    }

    /** Longest explanation kept. */
    public static final int MAX_EXPLANATION = 3000;

    /** Records where the incident broke, as a person says; the suggestion from the evidence is never applied by itself. */
    public CauseOutcome setFailurePoint(IncidentKey key, FailurePoint point, String explanation, String actor) {
        String text = TextLimits.cut(explanation.strip(), MAX_EXPLANATION);
        if (text.isEmpty()) {
            return new CauseOutcome.Refused(
                    "Say why: the explanation is what the postmortem and the next responder read.");
        }
        Instant now = clock.instant();
        CauseOutcome outcome = storage.inTransaction(tx -> {
            Optional<Incident> incident = tx.incidents().lock(key.id());
            if (incident.isEmpty()) {
                return new CauseOutcome.Refused("There is no incident " + key + ".");
            }
            FailurePointDao dao = tx.attach(FailurePointDao.class);
            Optional<FailurePointRecord> previous = dao.current(key.id());
            long id = dao.insert(key.id(), point, text, actor, now);
            ObjectNode details = mapper.createObjectNode();
            details.put("text", point.name() + ": " + text);
            details.put("point", point.name());
            details.put("explanation", text);
            previous.ifPresent(p -> details.put("previous", p.point().name()));
            suggestion(tx, key.id())
                    .ifPresent(
                            s -> details.put("suggested", s.suggestion().point().name()));
            TimelineRecorder.record(tx, key.id(), actor, EventKinds.FAILURE_POINT_SET, details, now);
            return new CauseOutcome.Set(new FailurePointRecord(id, key.id(), point, text, actor, now), previous);
        });
        if (outcome instanceof CauseOutcome.Set) {
            wakeJobs.run();
        }
        return outcome;
    }

    public Optional<FailurePointRecord> failurePoint(long incidentId) {
        return storage.inTransaction(tx -> tx.attach(FailurePointDao.class).current(incidentId));
    }

    /** A suggested failure point with the run it came from. */
    public record RunSuggestion(String runId, TraceSource source, Suggestion suggestion) {}

    /** The first suggestion of the incident's runs' latest snapshots, runs in the order attached. */
    public Optional<RunSuggestion> suggestion(long incidentId) {
        return storage.inTransaction(tx -> suggestion(tx, incidentId));
    }

    private Optional<RunSuggestion> suggestion(Storage.Tx tx, long incidentId) {
        EvidenceDao dao = tx.attach(EvidenceDao.class);
        for (RunAttachment attachment : dao.attachments(incidentId)) {
            Optional<RunSuggestion> found = dao.latestSnapshot(attachment.id())
                    .flatMap(s -> NormalizedRun.parse(s.normalized()).suggestion())
                    .map(s -> new RunSuggestion(attachment.runId(), attachment.source(), s));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
