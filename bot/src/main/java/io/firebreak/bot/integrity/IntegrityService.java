package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.PhaseListener;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.platform.signing.SigningKey;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.integrity.CheckpointDao;
import io.firebreak.storage.integrity.RecordReader;
import io.firebreak.storage.integrity.StoredCheckpoint;
import io.firebreak.storage.timeline.EventHash;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes signed checkpoints over the record, publishes them outside the database, and verifies the record against
 * them. A checkpoint is made by a durable job every {@code every} when anything changed, and at every phase change.
 * It refuses to vouch for an incident whose chain no longer contains the head the previous checkpoint signed: that
 * incident keeps its old head, and the verifier names what changed.
 */
public final class IntegrityService {
    /** The recurring checkpoint; its instance is the interval it is due in, so replicas converge on one chain of them. */
    public static final String TICK_JOB = "checkpoint-tick";
    /** A checkpoint asked for by a phase change. */
    public static final String NOW_JOB = "checkpoint-now";
    /** Writes a checkpoint's file and posts it to its publishers; the instance is the checkpoint number. */
    public static final String PUBLISH_JOB = "checkpoint-publish";

    private static final Logger log = LoggerFactory.getLogger(IntegrityService.class);

    private final Storage storage;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Optional<SigningKey> key;
    private final CheckpointFiles files;
    private final List<CheckpointPublisher> publishers;
    private final Duration every;
    private final Runnable wakeJobs;
    private final EventHash eventHash;

    /**
     * @param key        signs checkpoints; empty turns checkpoints off (verification still checks chains and rows)
     * @param publishers where each checkpoint goes besides its file
     * @param every      how often a checkpoint is made when anything changed
     */
    public IntegrityService(
            Storage storage,
            ObjectMapper mapper,
            Clock clock,
            Optional<SigningKey> key,
            CheckpointFiles files,
            List<CheckpointPublisher> publishers,
            Duration every,
            Runnable wakeJobs) {
        this.storage = storage;
        this.mapper = mapper;
        this.clock = clock;
        this.key = key;
        this.files = files;
        this.publishers = List.copyOf(publishers);
        this.every = every;
        this.wakeJobs = wakeJobs;
        this.eventHash = new EventHash(mapper);
    }

    /** True when checkpoints are made (a signing key is configured). */
    public boolean enabled() {
        return key.isPresent();
    }

    public Optional<VerifyingKey> publicKey() {
        return key.map(SigningKey::verifyingKey);
    }

    public CheckpointFiles files() {
        return files;
    }

    /** Asks for a checkpoint in the transaction of every phase change. */
    public PhaseListener phaseChanges() {
        return (tx, incident, to) -> {
            if (enabled()) {
                Instant now = clock.instant();
                tx.jobs().enqueue(NOW_JOB, JobIds.join(incident.id(), to, now.toEpochMilli()), now);
            }
        };
    }

    /** Makes sure the recurring checkpoint job exists; call once jobs run. */
    public void scheduleTicks() {
        if (enabled()) {
            storage.inTransaction(tx -> tx.jobs().enqueue(TICK_JOB, nextTick(), Instant.parse(nextTick())));
        }
    }

    /**
     * The recurring job: a checkpoint if anything changed, then the next tick, committed together. A failure (the
     * database away) tries again one interval later, however long it lasts, so the chain of ticks is never dropped.
     */
    public void tickJob(String instance) {
        try {
            make(true);
        } catch (RuntimeException e) {
            throw new RetryLater(
                    clock.instant().plus(every), "no checkpoint this time: " + Database.describeFailure(e));
        }
        wakeJobs.run();
    }

    /** The phase-change job. */
    public void nowJob(String instance) {
        make(false);
        wakeJobs.run();
    }

    /** Makes a checkpoint now when anything changed since the last one; empty when nothing did or it is off. */
    public Optional<Checkpoint> checkpoint() {
        Optional<Checkpoint> made = make(false);
        wakeJobs.run();
        return made;
    }

    private String nextTick() {
        long step = every.toMillis();
        long next = (clock.millis() / step + 1) * step;
        return Instant.ofEpochMilli(next).toString();
    }

    private Optional<Checkpoint> make(boolean scheduleNext) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        return storage.inTransaction(tx -> {
            CheckpointDao dao = tx.attach(CheckpointDao.class);
            dao.lockForMaking();
            if (scheduleNext) {
                String next = nextTick();
                tx.jobs().enqueue(TICK_JOB, next, Instant.parse(next));
            }
            Optional<StoredCheckpoint> previous = dao.latest();
            Map<Long, Checkpoint.Head> before = new LinkedHashMap<>();
            previous.map(p -> Checkpoint.parse(p.document(), mapper))
                    .ifPresent(p -> p.heads().forEach(h -> before.put(h.incidentId(), h)));
            RecordReader reader = new RecordReader(tx.handle(), mapper);
            List<Checkpoint.Head> heads = new ArrayList<>();
            Map<Long, List<String>> eventHashes = new TreeMap<>();
            boolean changed = false;
            for (CheckpointDao.Head now : dao.heads()) {
                Checkpoint.Head old = before.remove(now.incidentId());
                if (old != null && old.seq() == now.seq() && old.hash().equals(now.hash())) {
                    heads.add(old);
                    continue;
                }
                List<TimelineEvent> events = reader.events(Optional.of(now.incidentId()));
                Optional<String> problem = problem(events, Optional.ofNullable(old));
                if (problem.isPresent()) {
                    log.error(
                            "checkpoint: {} is not signed again: {}; it keeps the head checkpoint #{} gave it. "
                                    + "GET /api/timeline/verify names what changed.",
                            new IncidentKey(now.incidentId()),
                            problem.get(),
                            previous.map(StoredCheckpoint::number).orElse(0L));
                    if (old != null) {
                        heads.add(old);
                    }
                    continue;
                }
                heads.add(new Checkpoint.Head(now.incidentId(), now.seq(), now.hash()));
                eventHashes.put(
                        now.incidentId(),
                        events.stream().map(TimelineEvent::hash).toList());
                changed = true;
            }
            before.values().forEach(gone -> {
                log.error(
                        "checkpoint: {} has no events any more; it keeps the head a checkpoint gave it",
                        new IncidentKey(gone.incidentId()));
                heads.add(gone);
            });
            if (!changed) {
                return Optional.<Checkpoint>empty();
            }
            heads.sort(Comparator.comparingLong(Checkpoint.Head::incidentId));
            long number = previous.map(p -> p.number() + 1).orElse(1L);
            Checkpoint checkpoint = Checkpoint.sign(
                    number,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS),
                    previous.map(StoredCheckpoint::digest).orElse(Checkpoint.GENESIS),
                    heads,
                    eventHashes,
                    key.get(),
                    mapper);
            dao.insert(number, checkpoint.madeAt(), checkpoint.toDocument(mapper), checkpoint.digest(mapper));
            tx.jobs().enqueue(PUBLISH_JOB, String.valueOf(number), clock.instant());
            log.info(
                    "checkpoint #{} signed: {} incidents, {} events, root {}",
                    number,
                    checkpoint.incidents(),
                    checkpoint.events(),
                    checkpoint.root());
            return Optional.of(checkpoint);
        });
    }

    /** Why an incident's events may not be signed: a broken chain, or one that no longer holds the head signed before. */
    private Optional<String> problem(List<TimelineEvent> events, Optional<Checkpoint.Head> signedBefore) {
        String prev = Timeline.GENESIS;
        for (int i = 0; i < events.size(); i++) {
            TimelineEvent e = events.get(i);
            if (e.seq() != i + 1
                    || !e.prevHash().equals(prev)
                    || !eventHash.of(prev, e.seq(), e).equals(e.hash())) {
                return Optional.of("its chain breaks at event " + (i + 1));
            }
            prev = e.hash();
        }
        if (signedBefore.isPresent()) {
            Checkpoint.Head old = signedBefore.get();
            if (events.size() < old.seq() || !events.get(old.seq() - 1).hash().equals(old.hash())) {
                return Optional.of("its events no longer lead to event " + old.seq() + " as signed before");
            }
        }
        return Optional.empty();
    }

    /** Writes checkpoint {@code instance}'s file and posts it to each publisher not yet done. */
    public void publishJob(String instance) {
        long number = Long.parseLong(instance);
        Optional<StoredCheckpoint> stored =
                storage.inTransaction(tx -> tx.attach(CheckpointDao.class).find(number));
        if (stored.isEmpty()) {
            log.warn("checkpoint #{} to publish is not stored", number);
            return;
        }
        Checkpoint checkpoint = Checkpoint.parse(stored.get().document(), mapper);
        String file = files.write(number, stored.get().document()).toString();
        record(number, "file", file);
        for (CheckpointPublisher publisher : publishers) {
            boolean done =
                    storage.inTransaction(tx -> tx.attach(CheckpointDao.class).isPublished(number, publisher.target()));
            if (!done) {
                record(number, publisher.target(), publisher.publish(checkpoint));
            }
        }
    }

    private void record(long number, String target, String reference) {
        storage.inTransaction(
                tx -> tx.attach(CheckpointDao.class).published(number, target, reference, clock.instant()));
    }

    /** The newest checkpoint made, if any. */
    public Optional<Checkpoint> latest() {
        return storage.inTransaction(tx -> tx.attach(CheckpointDao.class).latest())
                .map(s -> Checkpoint.parse(s.document(), mapper));
    }

    /**
     * Verifies the whole record against every checkpoint published in the checkpoint directory and every one the
     * database holds (believed only when signed by this bot's key; a file and a row disagreeing is itself reported).
     */
    public RecordVerifier.Report verify() {
        Record record = storage.inTransaction(tx -> {
            RecordReader reader = new RecordReader(tx.handle(), mapper);
            return new Record(
                    reader.events(Optional.empty()),
                    reader.incidents(Optional.empty()),
                    reader.runs(Optional.empty()),
                    tx.attach(CheckpointDao.class).all().stream()
                            .map(StoredCheckpoint::document)
                            .toList());
        });
        List<String> documents = new ArrayList<>(files.readAll());
        record.checkpoints().stream().filter(d -> !documents.contains(d)).forEach(documents::add);
        return verify(record, documents);
    }

    private RecordVerifier.Report verify(Record record, List<String> documents) {
        List<Finding> unreadable = new ArrayList<>();
        Map<String, Checkpoint> checkpoints = new HashMap<>();
        for (String d : documents) {
            try {
                checkpoints.putIfAbsent(d, Checkpoint.parse(d, mapper));
            } catch (IllegalArgumentException e) {
                unreadable.add(Finding.of(
                        Finding.Kind.CHECKPOINT_REFUSED, "a checkpoint file is unreadable: " + e.getMessage()));
            }
        }
        RecordVerifier.Report report = new RecordVerifier(mapper)
                .verify(new RecordVerifier.Input(
                        record.events(),
                        record.incidents().stream()
                                .map(i ->
                                        new RecordVerifier.IncidentRow(i.id(), i.severity(), i.phase(), i.commander()))
                                .toList(),
                        record.runs().stream()
                                .map(r -> new RecordVerifier.RunRow(r.id(), r.incidentId(), r.state()))
                                .toList(),
                        List.copyOf(checkpoints.values()),
                        List.of(),
                        publicKey(),
                        Optional.empty()));
        if (unreadable.isEmpty()) {
            return report;
        }
        List<Finding> all = new ArrayList<>(unreadable);
        all.addAll(report.findings());
        return new RecordVerifier.Report(
                report.incidents(), report.events(), report.checkpoints(), report.latest(), all);
    }

    /** An incident's record as an auditor takes it away; empty when there is no such incident. */
    public Optional<com.fasterxml.jackson.databind.node.ObjectNode> export(IncidentKey incident) {
        return storage.inTransaction(tx -> new IncidentExport(mapper)
                .build(
                        new RecordReader(tx.handle(), mapper),
                        incident,
                        tx.attach(CheckpointDao.class).all().stream()
                                .map(s -> Checkpoint.parse(s.document(), mapper))
                                .toList(),
                        publicKey()));
    }

    private record Record(
            List<TimelineEvent> events,
            List<RecordReader.IncidentFacts> incidents,
            List<RecordReader.RunFacts> runs,
            List<String> checkpoints) {}
}
