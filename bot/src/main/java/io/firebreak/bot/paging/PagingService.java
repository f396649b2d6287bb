package io.firebreak.bot.paging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.PhaseListener;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.config.PagingSettings;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.RetryPolicy;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.jobs.JobQueueDao;
import io.firebreak.storage.paging.PageEvent;
import io.firebreak.storage.paging.PagingDao;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pages PagerDuty for an incident: a trigger with the incident key as {@code dedup_key}, an acknowledge when a
 * responder starts working it, a resolve when it is resolved or closed. Every event is stored with the durable job
 * that sends it ({@link #EVENT_JOB}), so PagerDuty being down, slow or rate limiting delays the page but never loses
 * it, and never holds up the incident.
 */
public final class PagingService {
    /** The durable job that sends one event to PagerDuty; its instance id is the event's id. */
    public static final String EVENT_JOB = "pagerduty-event";
    /** The actor of PagerDuty's own changes (webhooks) on the timeline. */
    public static final String PAGERDUTY = "pagerduty";

    static final String PAGE_REQUESTED = EventKinds.PAGE_REQUESTED;
    static final String PAGE_SENT = "page_sent";
    static final String PAGE_RETRYING = "page_retrying";
    static final String PAGE_FAILED = "page_failed";
    static final String PAGERDUTY_CALL = "pagerduty_call";

    private final Storage storage;
    private final PagingSettings settings;
    private final PagerDutyEvents events;
    private final ObjectMapper mapper;
    private final Runnable wakeJobs;
    private final RetryPolicy retry;

    public PagingService(
            Storage storage, PagingSettings settings, PagerDutyEvents events, ObjectMapper mapper, Runnable wakeJobs) {
        this.storage = storage;
        this.settings = settings;
        this.events = events;
        this.mapper = mapper;
        this.wakeJobs = wakeJobs;
        this.retry =
                new RetryPolicy(settings.attempts(), settings.backoff(), Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    /** What came of asking to page. */
    public sealed interface PageResult permits Queued, AlreadyPaged, Refused {}

    /** The trigger is stored and its job enqueued. */
    public record Queued(Incident incident, String service, long eventId) implements PageResult {}

    /** The service was paged for this incident before and the alert is still open: nothing new is sent. */
    public record AlreadyPaged(Incident incident, String service, PageEvent previous) implements PageResult {}

    /** Nothing was stored, for {@code why}. */
    public record Refused(String why) implements PageResult {}

    /** The configured services, the default first. */
    public List<String> services() {
        return List.copyOf(settings.services().keySet());
    }

    /**
     * Pages {@code service} (the first configured one when empty) for incident {@code key}, once: while an earlier page
     * of that service for the incident is open (not failed, not resolved), this sends nothing and says so. PagerDuty
     * would keep one alert anyway, as every event carries the incident key as its {@code dedup_key}.
     *
     * @param reason      why, kept with the page and sent in {@code custom_details}
     * @param requestedBy a Slack user ID, or {@code rule:<id>} for a rule
     */
    public PageResult page(IncidentKey key, Optional<String> service, Optional<String> reason, String requestedBy) {
        if (!settings.pagingOn()) {
            return new Refused("Paging is off: set PAGERDUTY_SERVICES and, for each service, its"
                    + " PAGERDUTY_ROUTING_KEY_<NAME> (an Events API v2 Integration Key).");
        }
        String target = service.map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(services().get(0));
        if (!settings.services().containsKey(target)) {
            return new Refused(
                    "There is no service " + target + " to page. Configured: " + String.join(", ", services()) + ".");
        }
        Optional<String> why =
                reason.map(String::strip).filter(r -> !r.isEmpty()).map(r -> TextLimits.cut(r, 500));
        PageResult result = storage.inTransaction(tx -> {
            Optional<Incident> found = tx.incidents().lock(key.id());
            if (found.isEmpty()) {
                return new Refused("There is no incident " + key + ".");
            }
            Incident incident = found.get();
            if (!incident.phase().isOpen() || incident.phase() == Phase.RESOLVED) {
                return new Refused(key + " is " + incident.phase().label()
                        + "; only an unresolved incident is paged. Reopen it first if it is back.");
            }
            PagingDao dao = tx.attach(PagingDao.class);
            Optional<PageEvent> live = liveTrigger(dao.ofIncident(incident.id()), target);
            if (live.isPresent()) {
                return new AlreadyPaged(incident, target, live.get());
            }
            Instant now = storage.clock().instant();
            long id = dao.insert(incident.id(), target, PageEvent.TRIGGER, requestedBy, why.orElse(null), now);
            ObjectNode details = mapper.createObjectNode()
                    .put("page", id)
                    .put("service", target)
                    .put("action", PageEvent.TRIGGER)
                    .put("dedup_key", key.toString())
                    .put("text", "paging " + target + " in PagerDuty");
            why.ifPresent(r -> details.put("reason", r));
            TimelineRecorder.record(tx, incident.id(), requestedBy, PAGE_REQUESTED, details, now);
            tx.jobs().enqueue(EVENT_JOB, String.valueOf(id), now, JobQueueDao.URGENT);
            return new Queued(incident, target, id);
        });
        if (result instanceof Queued) {
            wakeJobs.run();
        }
        return result;
    }

    /** Every PagerDuty event of the incident, oldest first. */
    public List<PageEvent> events(IncidentKey key) {
        return storage.inTransaction(tx -> tx.attach(PagingDao.class).ofIncident(key.id()));
    }

    /**
     * Resolves the incident's open pages when it is resolved or closed, and acknowledges them when a responder starts
     * working it (leaves {@code DETECTED}), so PagerDuty stops escalating; in the changing transaction.
     */
    public PhaseListener phaseChanges() {
        return (tx, incident, to) -> {
            boolean resolving = incident.phase() != Phase.RESOLVED && (to == Phase.RESOLVED || to == Phase.CLOSED);
            boolean working = incident.phase() == Phase.DETECTED && to != Phase.RESOLVED && to != Phase.CLOSED;
            if (!resolving && !working) {
                return;
            }
            String action = resolving ? PageEvent.RESOLVE : "acknowledge";
            PagingDao dao = tx.attach(PagingDao.class);
            List<PageEvent> all = dao.ofIncident(incident.id());
            Instant now = storage.clock().instant();
            for (String service :
                    all.stream().map(PageEvent::service).distinct().toList()) {
                if (liveTrigger(all, service).isEmpty()) {
                    continue;
                }
                long id = dao.insert(
                        incident.id(), service, action, "firebreak", "the incident moved to " + to.label(), now);
                TimelineRecorder.recordOffCard(
                        tx,
                        incident.id(),
                        "firebreak",
                        PAGE_REQUESTED,
                        mapper.createObjectNode()
                                .put("page", id)
                                .put("service", service)
                                .put("action", action)
                                .put("dedup_key", incident.key().toString())
                                .put(
                                        "text",
                                        action + " in PagerDuty (" + service + "): the incident moved to "
                                                + to.label()));
                tx.jobs().enqueue(EVENT_JOB, String.valueOf(id), now, JobQueueDao.URGENT);
            }
        };
    }

    /** The last trigger of {@code service} that was not refused and that no resolve came after. */
    static Optional<PageEvent> liveTrigger(List<PageEvent> events, String service) {
        Optional<PageEvent> live = Optional.empty();
        for (PageEvent e : events) {
            if (!e.service().equals(service)) {
                continue;
            }
            if (e.action().equals(PageEvent.TRIGGER) && !e.failed()) {
                live = Optional.of(e);
            } else if (e.action().equals(PageEvent.RESOLVE)) {
                live = Optional.empty();
            }
        }
        return live;
    }

    /** What came of one run of the event job. */
    public sealed interface Delivery permits Sent, Retrying, Failed, Nothing {}

    /** PagerDuty accepted the event. */
    public record Sent(PageEvent event, Incident incident) implements Delivery {}

    /**
     * PagerDuty is down, slow or rate limiting: the job runs again at {@code at}.
     *
     * @param why what happened, in words: "PagerDuty failed (500)", "rate limited (429)"
     */
    public record Retrying(PageEvent event, Incident incident, Instant at, String why, int attempt, int attempts)
            implements Delivery {}

    /**
     * PagerDuty refused the event, or kept failing until Firebreak gave up.
     *
     * @param retried false when it was refused at once (a 4xx other than 429), true when tries ran out
     */
    public record Failed(PageEvent event, Incident incident, String why, boolean retried, String variable)
            implements Delivery {}

    /** Nothing to do: already sent or settled, or superseded. */
    public record Nothing() implements Delivery {}

    /** Links sent with a trigger: the card and the incident's channel, as Slack gives them. */
    @FunctionalInterface
    public interface Links {
        List<PagerDutyEvents.Link> of(Incident incident);
    }

    /**
     * Sends event {@code id} once: counts the attempt, records the exchange (routing key redacted) on the timeline,
     * and settles the event, or says when to try again.
     */
    public Delivery deliver(long id, Links links) {
        Optional<PageEvent> found = storage.inTransaction(
                tx -> tx.attach(PagingDao.class).find(id).filter(e -> e.state().equals(PageEvent.QUEUED)));
        if (found.isEmpty()) {
            return new Nothing();
        }
        PageEvent event = found.get();
        Incident incident = storage.inTransaction(
                tx -> tx.incidents().find(event.incidentId()).orElseThrow());
        String variable = PagingSettings.routingKeyVariable(event.service());
        Secret key = settings.services().get(event.service());
        if (key == null) {
            String why = "service " + event.service() + " is no longer configured (PAGERDUTY_SERVICES)";
            settle(event, PageEvent.FAILED, why, PAGE_FAILED, true);
            return new Failed(event, incident, why, false, "PAGERDUTY_SERVICES");
        }
        if (event.action().equals(PageEvent.TRIGGER) && resolvedSince(event)) {
            settle(event, PageEvent.FAILED, "not sent: the incident was resolved first", PAGE_FAILED, false);
            return new Nothing();
        }
        int attempt = storage.inTransaction(tx -> {
            tx.attach(PagingDao.class).attempted(id);
            return event.attempts() + 1;
        });
        List<PagerDutyEvents.Link> sentLinks =
                event.action().equals(PageEvent.TRIGGER) ? links.of(incident) : List.of();
        Exchange exchange = events.send(
                events.body(event.action(), key, incident, event.service(), event.reason(), sentLinks), key);
        String words = events.describe(exchange, key);
        storage.inTransaction(tx -> {
            ObjectNode details = mapper.createObjectNode()
                    .put("page", id)
                    .put("action", event.action())
                    .put("attempt", attempt);
            details.set("exchange", exchange.toJson(mapper, 4000));
            return TimelineRecorder.recordOffCard(tx, incident.id(), "firebreak", PAGERDUTY_CALL, details);
        });
        if (exchange.succeeded()) {
            settle(event, PageEvent.SENT, words, PAGE_SENT, true);
            return new Sent(event, incident);
        }
        Optional<Instant> next = retry.next(attempt, exchange, storage.clock().instant());
        if (next.isPresent()) {
            storage.inTransaction(tx -> TimelineRecorder.recordOffCard(
                    tx,
                    incident.id(),
                    "firebreak",
                    PAGE_RETRYING,
                    mapper.createObjectNode()
                            .put("page", id)
                            .put("action", event.action())
                            .put("attempt", attempt)
                            .put("next_attempt_at", next.get().toString())
                            .put("text", words)));
            return new Retrying(event, incident, next.get(), words, attempt, settings.attempts());
        }
        boolean retried = exchange.failure().retryable();
        String why = retried ? words + "; gave up after " + attempt + " attempts" : words;
        settle(event, PageEvent.FAILED, why, PAGE_FAILED, true);
        return new Failed(event, incident, why, retried, variable);
    }

    /** The job was given up after failing unexpectedly: the event fails, so nothing waits on it. */
    public void gaveUp(long id, String reason) {
        storage.inTransaction(tx -> tx.attach(PagingDao.class).find(id))
                .filter(e -> e.state().equals(PageEvent.QUEUED))
                .ifPresent(e -> settle(e, PageEvent.FAILED, "Firebreak gave up (" + reason + ")", PAGE_FAILED, true));
    }

    private boolean resolvedSince(PageEvent trigger) {
        return events(new IncidentKey(trigger.incidentId())).stream()
                .anyMatch(e -> e.id() > trigger.id()
                        && e.service().equals(trigger.service())
                        && e.action().equals(PageEvent.RESOLVE));
    }

    private void settle(PageEvent event, String state, String outcome, String kind, boolean onCard) {
        storage.inTransaction(tx -> {
            Instant now = storage.clock().instant();
            tx.attach(PagingDao.class).settle(event.id(), state, outcome, now);
            ObjectNode details = mapper.createObjectNode()
                    .put("page", event.id())
                    .put("service", event.service())
                    .put("action", event.action())
                    .put(
                            "text",
                            event.action() + " " + (state.equals(PageEvent.SENT) ? "sent to" : "not accepted by")
                                    + " PagerDuty (" + event.service() + "): " + outcome);
            if (onCard) {
                TimelineRecorder.record(tx, event.incidentId(), "firebreak", kind, details, now);
            } else {
                TimelineRecorder.recordOffCard(tx, event.incidentId(), "firebreak", kind, details);
            }
            return null;
        });
    }

    /** The configured services' routing keys, to keep out of anything shown. */
    Set<String> secrets() {
        return settings.services().values().stream().map(Secret::value).collect(Collectors.toSet());
    }

    /** For the card: each service's page state, in a few words, newest event per service. */
    public List<String> summary(IncidentKey key) {
        List<PageEvent> all = events(key);
        List<String> lines = new ArrayList<>();
        for (String service : all.stream().map(PageEvent::service).distinct().toList()) {
            PageEvent last = all.stream()
                    .filter(e -> e.service().equals(service))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            lines.add(service + ": " + last.action() + " "
                    + switch (last.state()) {
                        case PageEvent.QUEUED ->
                            last.attempts() <= 1 ? "being sent" : "retrying (" + last.attempts() + " tries so far)";
                        case PageEvent.SENT -> "sent";
                        default -> "not accepted (" + last.outcome().orElse("?") + ")";
                    });
        }
        return lines;
    }
}
