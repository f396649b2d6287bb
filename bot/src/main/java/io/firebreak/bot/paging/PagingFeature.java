package io.firebreak.bot.paging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.handoff.OnCallRoster;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.paging.slack.PageNotices;
import io.firebreak.bot.paging.slack.PagingCommands;
import io.firebreak.bot.paging.slack.PagingSection;
import io.firebreak.bot.paging.slack.SlackUsers;
import io.firebreak.bot.paging.web.PagerDutyWebhookServlet;
import io.firebreak.bot.platform.config.PagingSettings;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.slack.CardButton;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.storage.Storage;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Paging and on-call through PagerDuty: {@code /incident page} and the card's "Page" button, the events job, the
 * webhook receiver, who is on call for {@code /incident oncall}, and shift changes that hand off.
 */
public final class PagingFeature implements Feature {
    private final PagingService paging;
    private final OnCallReader onCall;
    private final ShiftWatch shifts;
    private final PageNotices notices;
    private final PagingCommands commands;
    private final PagerDutyWebhookServlet webhooks;

    /** {@code paging} is built before the incident service, which tells it of phase changes. */
    public PagingFeature(Basics basics, PagingService paging, IncidentService incidents) {
        PagingSettings settings = basics.config().paging();
        this.paging = paging;
        PeopleDirectory people =
                new PeopleDirectory(settings.userMap(), new SlackUsers(basics.slack())::lookupByEmail, basics.clock());
        // Read while a person waits for /incident oncall: short, so a slow PagerDuty cannot cost Slack's 3 seconds.
        this.onCall = new OnCallReader(
                settings,
                new OutboundHttp(Duration.ofSeconds(1), Duration.ofSeconds(2), basics.clock()),
                basics.mapper(),
                basics.clock(),
                people);
        this.shifts = new ShiftWatch(
                basics.storage(),
                settings,
                onCall,
                people,
                incidents,
                new HandoffService(basics.storage(), incidents, basics.config().handoffReminder(), basics.mapper()),
                basics.wakeJobs(),
                basics.tenancy());
        this.notices = new PageNotices(
                paging,
                shifts,
                basics.notices(),
                basics.slack(),
                basics.config().publicUrl());
        this.commands = new PagingCommands(paging, basics.resolver(), basics.modals(), basics.notices());
        this.webhooks = new PagerDutyWebhookServlet(
                new WebhookSignature(settings.webhookSecrets()),
                new PagerDutyWebhooks(basics.storage(), basics.mapper()),
                notices::webhook,
                basics.json());
    }

    /** The paging service, sending through PagerDuty's Events API with the configured timeouts. */
    public static PagingService service(
            PagingSettings settings, Storage storage, ObjectMapper mapper, Clock clock, Runnable wakeJobs) {
        return new PagingService(
                storage,
                settings,
                new PagerDutyEvents(
                        new OutboundHttp(Duration.ofSeconds(3), settings.timeout(), clock),
                        settings.eventsUrl(),
                        mapper),
                mapper,
                wakeJobs);
    }

    /** Who is on call now, for {@code /incident oncall}. */
    public OnCallRoster roster() {
        return onCall;
    }

    /** Starts polling the schedules for shift changes; call once this replica runs jobs. */
    public void schedulePolls() {
        shifts.schedulePolls();
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(commands);
    }

    @Override
    public List<Job> jobs() {
        return List.of(
                new Job(
                        PagingService.EVENT_JOB,
                        notices::eventJob,
                        (instance, failures, reason) -> paging.gaveUp(Long.parseLong(instance), reason)),
                new Job(ShiftWatch.POLL_JOB, shifts::pollJob),
                new Job(ShiftWatch.SHIFT_JOB, notices::shiftJob));
    }

    @Override
    public Map<String, HttpServlet> routes() {
        return Map.of("/webhooks/pagerduty", webhooks);
    }

    @Override
    public List<CardSection> cardSections() {
        return List.of(new PagingSection(paging));
    }

    @Override
    public List<CardButton> cardButtons() {
        return settingsAllowPaging() ? List.of(new CardButton(PagingCommands.PAGE_BUTTON, "Page", 45)) : List.of();
    }

    private boolean settingsAllowPaging() {
        return !paging.services().isEmpty();
    }
}
