package io.firebreak.bot.handoff;

import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.handoff.slack.HandoffCommands;
import io.firebreak.bot.handoff.slack.HandoffPack;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.slack.CardButton;
import io.firebreak.bot.slack.IncidentSummary;
import io.firebreak.bot.slack.SlackFeature;
import java.util.List;

/** Handoffs: offering incidents to the next responder with a pack built from stored state, and reminders. */
public final class HandoffFeature implements Feature {
    private final HandoffPack pack;
    private final HandoffCommands commands;

    /** {@code summary} renders each incident in the pack as its card shows it, to those {@code visibility} lets see it. */
    public HandoffFeature(Basics basics, IncidentService incidents, IncidentSummary summary, Visibility visibility) {
        this(basics, incidents, summary, visibility, OnCallRoster.NONE);
    }

    /** As above; {@code roster} says who is on call now, for {@code /incident oncall}. */
    public HandoffFeature(
            Basics basics,
            IncidentService incidents,
            IncidentSummary summary,
            Visibility visibility,
            OnCallRoster roster) {
        HandoffService handoffs =
                new HandoffService(basics.storage(), incidents, basics.config().handoffReminder(), basics.mapper());
        this.pack = new HandoffPack(handoffs, incidents, summary, basics.slack(), basics.clock(), visibility);
        this.commands = new HandoffCommands(
                handoffs,
                incidents,
                basics.modals(),
                basics.notices(),
                basics.clock(),
                visibility,
                basics.resolver(),
                roster,
                basics.tenancy());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(commands);
    }

    @Override
    public List<Job> jobs() {
        return List.of(
                new Job(HandoffService.PACK_JOB, pack::sendJob),
                new Job(HandoffService.REMINDER_JOB, pack::reminderJob));
    }

    @Override
    public List<CardButton> cardButtons() {
        return List.of(new CardButton(HandoffCommands.HANDOFF_BUTTON, "Hand off", 50));
    }
}
