package io.firebreak.bot.paging;

import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.config.PagingSettings;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.paging.PagingDao;
import io.firebreak.storage.paging.Shift;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shift change hands off. A recurring durable job ({@link #POLL_JOB}) reads who is on call on each configured schedule;
 * when it is someone new, the shift is recorded (unique per schedule, person and shift start) and, by the one replica
 * whose insert succeeded, a {@link #SHIFT_JOB} is enqueued in the same transaction: if the outgoing person commands
 * open incidents, they are offered to the incoming person in one handoff pack (the handoff flow: pack, "I have it",
 * re-announcements), and the outgoing person is told.
 */
public final class ShiftWatch {
    private static final Logger log = LoggerFactory.getLogger(ShiftWatch.class);
    /** Reads the on-call; instance id: the poll's due time, so replicas that schedule the same poll make one job. */
    public static final String POLL_JOB = "oncall-poll";
    /** Acts on one shift change; instance id: the recorded shift's id. */
    public static final String SHIFT_JOB = "oncall-shift-change";

    private final Storage storage;
    private final PagingSettings settings;
    private final OnCallReader reader;
    private final PeopleDirectory people;
    private final IncidentService incidents;
    private final HandoffService handoffs;
    private final Runnable wakeJobs;
    private final Tenancy tenancy;

    public ShiftWatch(
            Storage storage,
            PagingSettings settings,
            OnCallReader reader,
            PeopleDirectory people,
            IncidentService incidents,
            HandoffService handoffs,
            Runnable wakeJobs,
            Tenancy tenancy) {
        this.tenancy = tenancy;
        this.storage = storage;
        this.settings = settings;
        this.reader = reader;
        this.people = people;
        this.incidents = incidents;
        this.handoffs = handoffs;
        this.wakeJobs = wakeJobs;
    }

    /** True when schedules are watched. */
    public boolean watching() {
        return settings.apiToken().isPresent() && !settings.schedules().isEmpty();
    }

    /** Enqueues the next poll, unless no schedule is watched; called when the replica starts running jobs. */
    public void schedulePolls() {
        if (watching()) {
            Instant next = nextPoll();
            storage.inTransaction(tx -> tx.jobs().enqueue(POLL_JOB, next.toString(), next));
        }
    }

    /** The next poll's time, on a grid of the poll interval, so every replica names the same one. */
    private Instant nextPoll() {
        long every = settings.onCallPoll().toMillis();
        long now = storage.clock().millis();
        return Instant.ofEpochMilli((now / every + 1) * every);
    }

    /** The recurring job: one read of the on-call, the shift changes it shows, and the next poll, however it went. */
    public void pollJob(String instance) {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("on-call poll failed: {}", Database.describeFailure(e));
            throw new RetryLater(storage.clock().instant().plus(settings.onCallPoll()), "on-call poll failed");
        }
        schedulePolls();
        wakeJobs.run();
    }

    /** Reads the on-call now and records each schedule's shift; returns the ids of new shift changes this replica owns. */
    public List<Long> poll() {
        OnCallReader.Answer answer = reader.read();
        if (answer.failure().isPresent()) {
            return List.of();
        }
        List<Long> changes = new java.util.ArrayList<>();
        for (String schedule : settings.schedules()) {
            answer.onCalls().stream()
                    .filter(o -> o.scheduleId().equals(schedule))
                    .findFirst()
                    .flatMap(this::record)
                    .ifPresent(changes::add);
        }
        return changes;
    }

    /**
     * Records {@code now}'s shift; when it is new and someone else was on call before, enqueues the shift change job in
     * the same transaction and returns the shift's id. A second replica recording the same shift gets nothing.
     */
    private Optional<Long> record(OnCallReader.OnCall now) {
        return storage.inTransaction(tx -> {
            PagingDao dao = tx.attach(PagingDao.class);
            Optional<Shift> before = dao.lastShift(now.scheduleId());
            Optional<Long> id = dao.recordShift(
                    now.scheduleId(),
                    now.scheduleName(),
                    now.userId(),
                    now.userName(),
                    now.email().orElse(null),
                    now.start(),
                    before.map(Shift::userId).orElse(null),
                    before.map(Shift::userName).orElse(null),
                    before.map(Shift::userEmail).orElse(null),
                    storage.clock().instant());
            boolean changed = id.isPresent()
                    && before.isPresent()
                    && !before.get().userId().equals(now.userId());
            if (changed) {
                tx.jobs()
                        .enqueue(
                                SHIFT_JOB,
                                String.valueOf(id.get()),
                                storage.clock().instant());
                return id;
            }
            return Optional.<Long>empty();
        });
    }

    /** What came of a shift change, for the outgoing person's direct message. */
    public sealed interface Change permits Offered, NothingToHand, Unmapped, Refused {}

    /**
     * The outgoing person's open incidents were offered to the incoming person in one pack.
     *
     * @param how how the two were found in Slack
     */
    public record Offered(Shift shift, String outgoing, String incoming, List<IncidentKey> keys, String how)
            implements Change {}

    /** The outgoing person commands no open incident. */
    public record NothingToHand(Shift shift) implements Change {}

    /** A PagerDuty user has no Slack user Firebreak could find. */
    public record Unmapped(Shift shift, Optional<String> outgoing, String who) implements Change {}

    /** The handoff could not be offered (e.g. the incoming person is not a responder). */
    public record Refused(Shift shift, String outgoing, String incoming, List<IncidentKey> keys, String why)
            implements Change {}

    /** What came of a shift change in one workspace: its people are that workspace's Slack users. */
    public record Handover(Workspace workspace, Change change) {}

    /**
     * The shift change job: offers the outgoing person's open incidents to the incoming person, workspace by workspace
     * (each open incident's own; the person is a different Slack user in each, found with that workspace's token).
     */
    public List<Handover> handOver(long shiftId) {
        Optional<Shift> found =
                storage.inTransaction(tx -> tx.attach(PagingDao.class).shift(shiftId));
        if (found.isEmpty() || found.get().previousUserId() == null) {
            return List.of();
        }
        Map<Workspace, List<Incident>> open = incidents.listOpen().stream()
                .collect(Collectors.groupingBy(tenancy::workspaceOf, LinkedHashMap::new, Collectors.toList()));
        if (open.isEmpty()) {
            open = Map.of(tenancy.configured(Optional.empty()), List.of());
        }
        List<Handover> done = new ArrayList<>();
        open.forEach((workspace, incidentsThere) ->
                done.add(new Handover(workspace, handOver(found.get(), workspace, incidentsThere))));
        return done;
    }

    private Change handOver(Shift shift, Workspace workspace, List<Incident> open) {
        Optional<PeopleDirectory.Mapped> out =
                people.find(shift.previousUserId(), Optional.ofNullable(shift.previousUserEmail()), workspace);
        if (out.isEmpty()) {
            log.warn(
                    "shift change on schedule {}: PagerDuty user {} has no Slack user in workspace {}",
                    shift.scheduleId(),
                    shift.previousUserId(),
                    workspace.teamId().isEmpty() ? "(the single one)" : workspace.teamId());
            return new Unmapped(shift, Optional.empty(), shift.previousUserName());
        }
        List<Incident> commanded = open.stream()
                .filter(i -> i.commander().equals(out.get().slackUser()))
                .toList();
        List<IncidentKey> keys = commanded.stream().map(Incident::key).toList();
        if (keys.isEmpty()) {
            return new NothingToHand(shift);
        }
        Optional<PeopleDirectory.Mapped> in =
                people.find(shift.userId(), Optional.ofNullable(shift.userEmail()), workspace);
        if (in.isEmpty()) {
            log.warn(
                    "shift change on schedule {}: PagerDuty user {} has no Slack user in workspace {}",
                    shift.scheduleId(),
                    shift.userId(),
                    workspace.teamId().isEmpty() ? "(the single one)" : workspace.teamId());
            return new Unmapped(shift, Optional.of(out.get().slackUser()), shift.userName());
        }
        HandoffService.Offer offer = handoffs.offer(
                keys,
                in.get().slackUser(),
                Optional.of("PagerDuty shift change on " + shift.scheduleName() + ": " + shift.userName()
                        + " is on call now, after " + shift.previousUserName() + "."),
                IncidentService.FIREBREAK);
        if (!offer.made()) {
            return new Refused(
                    shift,
                    out.get().slackUser(),
                    in.get().slackUser(),
                    keys,
                    offer.refusal().orElse(""));
        }
        String how = out.get().via() == in.get().via()
                ? via(out.get().via())
                : via(out.get().via()) + " and " + via(in.get().via());
        return new Offered(shift, out.get().slackUser(), in.get().slackUser(), keys, how);
    }

    private static String via(PeopleDirectory.Via via) {
        return via == PeopleDirectory.Via.CONFIGURED_MAP ? "PAGERDUTY_USER_MAP" : "their e-mail in Slack";
    }

    /** How often the schedules are read. */
    public Duration every() {
        return settings.onCallPoll();
    }
}
