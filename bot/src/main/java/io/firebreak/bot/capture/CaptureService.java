package io.firebreak.bot.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.capture.Capture;
import io.firebreak.storage.capture.CaptureDao;
import io.firebreak.storage.capture.CaptureDraft;
import io.firebreak.storage.capture.CaptureMethod;
import io.firebreak.storage.capture.CaptureState;
import io.firebreak.storage.capture.ReceivedEventDao;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Puts chat messages on incident timelines. A request is recorded together with its durable job in one
 * transaction; the job reads the message from the chat and calls {@link #complete} or {@link #fail}. A
 * message is on an incident's timeline at most once (a unique constraint decides, not a check before
 * inserting); taking it back appends a retraction, since the timeline is append-only.
 */
public final class CaptureService {
    /** The durable job that reads a message and captures it; its instance id is {@code <capture id>:<attempt>}. */
    public static final String CAPTURE_JOB = "message-capture";
    /** Longest message text kept (Slack's own limit for a message). */
    public static final int MAX_TEXT = 40_000;
    /** How long delivery ids are kept: Slack stops redelivering an event after minutes. */
    static final Duration DELIVERY_MEMORY = Duration.ofDays(1);
    /** How long a shortcut waits for its requester to pick the incident. */
    static final Duration DRAFT_LIFETIME = Duration.ofDays(1);

    private final Storage storage;
    private final ObjectMapper mapper;
    private final Runnable wakeJobs;

    /**
     * @param wakeJobs called after a request commits, so its job runs now rather than at the next poll
     */
    public CaptureService(Storage storage, ObjectMapper mapper, Runnable wakeJobs) {
        this.storage = storage;
        this.mapper = mapper;
        this.wakeJobs = wakeJobs;
    }

    /** A message in a channel, named by its channel and timestamp. */
    public record MessageRef(String channel, String ts) {}

    /** What a message says, as the chat gave it; the text is masked for credentials before it is kept. */
    public record MessageContent(String author, String text, Optional<String> threadTs) {}

    /** One delivery of a chat event, identified by the sender's id for it ({@code event_id}). */
    public record Delivery(String eventId, String eventType) {}

    /**
     * A message read by the capture job.
     *
     * @param sentAt           when it was posted, from its timestamp
     * @param permalink        its link, when the chat gave one
     * @param permalinkProblem why there is no link, when there is none
     */
    public record CapturedMessage(
            MessageContent content,
            Optional<Instant> sentAt,
            Optional<String> permalink,
            Optional<String> permalinkProblem) {}

    /** What became of a request. */
    public enum Outcome {
        /** Recorded; the capture job will add it. */
        QUEUED,
        /** Already requested and not captured yet. */
        IN_PROGRESS,
        /** Already on the incident's timeline. */
        ALREADY_CAPTURED,
        /** It had been retracted and is now back on the timeline. */
        RESTORED,
        /** Taken back: a retraction event follows its capture. */
        RETRACTED,
        /** Taken back before it was captured: nothing was added. */
        CANCELLED,
        /** Nothing to take back: it was never captured, or was taken back already. */
        NOT_CAPTURED,
        /** This delivery was handled before; nothing was done again. */
        DUPLICATE_DELIVERY,
        /** The channel is not an open incident's own channel. */
        NOT_AN_INCIDENT_CHANNEL,
        /** Kept as a draft (its id is the result's id) until the requester picks the incident. */
        CHOOSE_INCIDENT,
        /** The picked incident does not exist or is closed. */
        INCIDENT_NOT_OPEN,
        /** The draft is gone (used, or expired). */
        DRAFT_GONE
    }

    /**
     * @param incident the incident the request was about, when there is one
     * @param id       the capture's id, or the draft's id for {@link Outcome#CHOOSE_INCIDENT}
     */
    public record Result(Outcome outcome, Optional<Incident> incident, OptionalLong id) {
        static Result of(Outcome outcome) {
            return new Result(outcome, Optional.empty(), OptionalLong.empty());
        }

        static Result of(Outcome outcome, Incident incident, long id) {
            return new Result(outcome, Optional.of(incident), OptionalLong.of(id));
        }
    }

    /** One attempt to read a captured message: the capture job's instance id. */
    public record Attempt(long captureId, int attempt) {
        /** The job instance id, {@code <capture id>:<attempt>}. */
        public String instanceId() {
            return JobIds.join(captureId, attempt);
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static Attempt parse(String instanceId) {
            String[] parts = JobIds.split(instanceId, 2);
            return new Attempt(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
        }
    }

    /** A pin on {@code message} by {@code user}: captured when the message is in an open incident's channel. */
    public Result pinned(Optional<Delivery> delivery, MessageRef message, String user) {
        Result result = storage.inTransaction(tx -> {
            if (!firstDelivery(tx, delivery)) {
                return Result.of(Outcome.DUPLICATE_DELIVERY);
            }
            return tx.incidents()
                    .findByChannel(message.channel())
                    .map(incident -> request(
                            tx, incident, message, CaptureMethod.REACTION, user, Optional.empty(), Optional.empty()))
                    .orElse(Result.of(Outcome.NOT_AN_INCIDENT_CHANNEL));
        });
        wakeIfQueued(result);
        return result;
    }

    /** A pin removed from {@code message} by {@code user}: the capture is taken back. */
    public Result unpinned(Optional<Delivery> delivery, MessageRef message, String user) {
        return storage.inTransaction(tx -> {
            if (!firstDelivery(tx, delivery)) {
                return Result.of(Outcome.DUPLICATE_DELIVERY);
            }
            Optional<Incident> incident = tx.incidents().findByChannel(message.channel());
            if (incident.isEmpty()) {
                return Result.of(Outcome.NOT_AN_INCIDENT_CHANNEL);
            }
            Optional<Capture> capture =
                    tx.attach(CaptureDao.class).lock(incident.get().id(), message.channel(), message.ts());
            if (capture.isEmpty()) {
                return new Result(Outcome.NOT_CAPTURED, incident, OptionalLong.empty());
            }
            return takeBack(tx, incident.get(), capture.get(), user);
        });
    }

    /**
     * The message shortcut on {@code message}: captured at once into the incident whose channel it is in;
     * anywhere else kept as a draft until {@code user} picks the incident ({@link #addDraft}).
     *
     * @param responseUrl where to tell the requester how it went
     */
    public Result shortcut(MessageRef message, MessageContent content, String user, Optional<String> responseUrl) {
        Result result = storage.inTransaction(tx -> {
            Optional<Incident> incident = tx.incidents().findByChannel(message.channel());
            if (incident.isPresent()) {
                return request(
                        tx, incident.get(), message, CaptureMethod.SHORTCUT, user, Optional.of(content), responseUrl);
            }
            CaptureDao dao = tx.attach(CaptureDao.class);
            Instant now = storage.clock().instant();
            dao.pruneDrafts(now.minus(DRAFT_LIFETIME));
            long draft = dao.insertDraft(
                    message.channel(),
                    message.ts(),
                    content.author(),
                    clean(content.text()),
                    content.threadTs(),
                    user,
                    responseUrl,
                    now);
            return new Result(Outcome.CHOOSE_INCIDENT, Optional.empty(), OptionalLong.of(draft));
        });
        wakeIfQueued(result);
        return result;
    }

    /** A draft's message, for showing it while the requester picks the incident. */
    public Optional<CaptureDraft> draft(long draftId) {
        return storage.inTransaction(tx -> tx.attach(CaptureDao.class).findDraft(draftId));
    }

    /** Captures the drafted message into the incident {@code user} picked. */
    public Result addDraft(long draftId, IncidentKey key, String user) {
        Result result = storage.inTransaction(tx -> {
            CaptureDao dao = tx.attach(CaptureDao.class);
            Optional<CaptureDraft> draft = dao.findDraft(draftId);
            if (draft.isEmpty()) {
                return Result.of(Outcome.DRAFT_GONE);
            }
            Optional<Incident> incident = tx.incidents().find(key.id());
            if (incident.isEmpty() || !incident.get().phase().isOpen()) {
                return new Result(Outcome.INCIDENT_NOT_OPEN, incident, OptionalLong.empty());
            }
            CaptureDraft d = draft.get();
            Result added = request(
                    tx,
                    incident.get(),
                    new MessageRef(d.channelId(), d.messageTs()),
                    CaptureMethod.SHORTCUT,
                    user,
                    Optional.of(new MessageContent(d.author(), d.text(), d.threadTs())),
                    d.responseUrl());
            if (added.outcome() == Outcome.QUEUED || added.outcome() == Outcome.RESTORED) {
                dao.deleteDraft(draftId);
            }
            return added;
        });
        wakeIfQueued(result);
        return result;
    }

    /** The capture a job instance is for, when it still has work: pending, and still on that attempt. */
    public Optional<Capture> pendingFor(Attempt attempt) {
        return storage.inTransaction(tx -> tx.attach(CaptureDao.class).find(attempt.captureId()))
                .filter(c -> c.state() == CaptureState.PENDING && c.attempt() == attempt.attempt());
    }

    public Optional<Capture> find(long captureId) {
        return storage.inTransaction(tx -> tx.attach(CaptureDao.class).find(captureId));
    }

    /** Counts a transient failure of the capture's current attempt; returns how many there were so far. */
    public int tried(long captureId) {
        return storage.inTransaction(tx ->
                tx.attach(CaptureDao.class).tried(captureId, storage.clock().instant()));
    }

    /**
     * Puts the message on the timeline, unless the capture was taken back or superseded by a newer attempt
     * meanwhile. Returns the timeline event when it was added.
     */
    public Optional<TimelineEvent> complete(long captureId, int attempt, CapturedMessage message) {
        return storage.inTransaction(tx -> {
            CaptureDao dao = tx.attach(CaptureDao.class);
            Optional<Capture> locked =
                    dao.lock(captureId).filter(c -> c.state() == CaptureState.PENDING && c.attempt() == attempt);
            if (locked.isEmpty()) {
                return Optional.empty();
            }
            Capture capture = locked.get();
            MessageContent content = message.content();
            String text = clean(content.text());
            ObjectNode details = reference(capture)
                    .put("method", capture.method().label())
                    .put("author", content.author())
                    .put("text", text);
            content.threadTs().ifPresent(t -> details.put("thread_ts", t));
            message.sentAt().ifPresent(at -> details.put("message_at", at.toString()));
            details.put("permalink", message.permalink().orElse(null));
            message.permalinkProblem()
                    .filter(p -> message.permalink().isEmpty())
                    .ifPresent(p -> details.put("permalink_problem", p));
            TimelineEvent event = TimelineRecorder.recordOffCard(
                    tx, capture.incidentId(), capture.requestedBy(), EventKinds.MESSAGE_CAPTURED, details);
            dao.captured(
                    captureId,
                    content.author(),
                    text,
                    content.threadTs(),
                    message.permalink(),
                    event.seq(),
                    storage.clock().instant());
            return Optional.of(event);
        });
    }

    /** Marks the capture failed with {@code problem}, unless it was taken back or superseded meanwhile. */
    public boolean fail(long captureId, int attempt, String problem) {
        return storage.inTransaction(tx -> {
            CaptureDao dao = tx.attach(CaptureDao.class);
            boolean current = dao.lock(captureId)
                    .filter(c -> c.state() == CaptureState.PENDING && c.attempt() == attempt)
                    .isPresent();
            if (current) {
                dao.failed(captureId, problem, storage.clock().instant());
            }
            return current;
        });
    }

    /** Records a new request, or answers what became of the earlier one for the same message and incident. */
    private Result request(
            Storage.Tx tx,
            Incident incident,
            MessageRef message,
            CaptureMethod method,
            String user,
            Optional<MessageContent> content,
            Optional<String> responseUrl) {
        CaptureDao dao = tx.attach(CaptureDao.class);
        Instant now = storage.clock().instant();
        Optional<String> author = content.map(MessageContent::author);
        Optional<String> text = content.map(c -> clean(c.text()));
        Optional<String> threadTs = content.flatMap(MessageContent::threadTs);
        Optional<Long> inserted = dao.insert(
                incident.id(), message.channel(), message.ts(), method, user, author, text, threadTs, responseUrl, now);
        if (inserted.isPresent()) {
            tx.jobs().enqueue(CAPTURE_JOB, new Attempt(inserted.get(), 1).instanceId(), now);
            return Result.of(Outcome.QUEUED, incident, inserted.get());
        }
        Capture existing =
                dao.lock(incident.id(), message.channel(), message.ts()).orElseThrow();
        return switch (existing.state()) {
            case PENDING -> Result.of(Outcome.IN_PROGRESS, incident, existing.id());
            case CAPTURED -> Result.of(Outcome.ALREADY_CAPTURED, incident, existing.id());
            case RETRACTED -> {
                dao.setState(existing.id(), CaptureState.CAPTURED, now);
                ObjectNode details = reference(existing).put("method", method.label());
                TimelineRecorder.recordOffCard(tx, incident.id(), user, EventKinds.MESSAGE_RESTORED, details);
                yield Result.of(Outcome.RESTORED, incident, existing.id());
            }
            case CANCELLED, FAILED -> {
                int attempt = dao.retry(existing.id(), method, user, author, text, threadTs, responseUrl, now);
                tx.jobs().enqueue(CAPTURE_JOB, new Attempt(existing.id(), attempt).instanceId(), now);
                yield Result.of(Outcome.QUEUED, incident, existing.id());
            }
        };
    }

    private Result takeBack(Storage.Tx tx, Incident incident, Capture capture, String user) {
        CaptureDao dao = tx.attach(CaptureDao.class);
        Instant now = storage.clock().instant();
        return switch (capture.state()) {
            case PENDING -> {
                dao.setState(capture.id(), CaptureState.CANCELLED, now);
                yield Result.of(Outcome.CANCELLED, incident, capture.id());
            }
            case CAPTURED -> {
                dao.setState(capture.id(), CaptureState.RETRACTED, now);
                TimelineRecorder.recordOffCard(
                        tx, incident.id(), user, EventKinds.MESSAGE_RETRACTED, reference(capture));
                yield Result.of(Outcome.RETRACTED, incident, capture.id());
            }
            case RETRACTED, CANCELLED, FAILED -> Result.of(Outcome.NOT_CAPTURED, incident, capture.id());
        };
    }

    /** The fields that name the captured message (and link to it, once known) on every event about it. */
    private ObjectNode reference(Capture capture) {
        ObjectNode details = mapper.createObjectNode()
                .put("capture", capture.id())
                .put("channel", capture.channelId())
                .put("ts", capture.messageTs());
        capture.permalink().ifPresent(link -> details.put("permalink", link));
        capture.capturedSeq().ifPresent(seq -> details.put("captured_seq", seq));
        return details;
    }

    private boolean firstDelivery(Storage.Tx tx, Optional<Delivery> delivery) {
        if (delivery.isEmpty()) {
            return true;
        }
        ReceivedEventDao received = tx.attach(ReceivedEventDao.class);
        Instant now = storage.clock().instant();
        if (!received.firstDelivery(delivery.get().eventId(), delivery.get().eventType(), now)) {
            return false;
        }
        received.prune(now.minus(DELIVERY_MEMORY));
        return true;
    }

    private void wakeIfQueued(Result result) {
        if (result.outcome() == Outcome.QUEUED) {
            wakeJobs.run();
        }
    }

    /** Message text as kept: credentials masked, cut to {@link #MAX_TEXT}. */
    static String clean(String text) {
        return TextLimits.cut(Redactor.redact(text), MAX_TEXT);
    }
}
