package io.firebreak.bot.containment;

import io.firebreak.bot.containment.slack.ContainmentCommands;
import io.firebreak.bot.containment.slack.ContainmentNotifier;
import io.firebreak.bot.containment.slack.ContainmentSection;
import io.firebreak.bot.containment.slack.ContainmentViews;
import io.firebreak.bot.containment.web.ContainmentJson;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.web.ApiExtension;
import java.util.List;

/** Containment: firing, approving, undoing and keeping catalog actions, their calls, notices and card section. */
public final class ContainmentFeature implements Feature {
    private final ContainmentService containment;
    private final ContainmentExecutor calls;
    private final ContainmentNotifier notifier;
    private final ContainmentCommands commands;
    private final ContainmentJson json;

    public ContainmentFeature(
            Basics basics, ActionCatalog catalog, ContainmentService containment, IncidentService incidents) {
        this.containment = containment;
        this.calls = new ContainmentExecutor(
                basics.storage(), catalog, incidents, basics.metrics(), basics.mapper(), basics.wakeJobs());
        this.notifier = new ContainmentNotifier(containment, incidents, basics.slack(), basics.clock());
        ContainmentReview review = new ContainmentReview(basics.storage(), incidents, containment, basics.mapper());
        this.commands = new ContainmentCommands(
                containment,
                review,
                incidents,
                basics.slack(),
                new ContainmentViews(basics.mapper()),
                basics.resolver());
        this.json = new ContainmentJson(containment, basics.mapper());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(commands);
    }

    @Override
    public List<Job> jobs() {
        return List.of(
                new Job(ContainmentService.ACTION_JOB, calls::runAction, calls::giveUpAction),
                new Job(ContainmentService.UNDO_JOB, calls::runUndo, calls::giveUpUndo),
                new Job(ContainmentService.EXPIRY_JOB, containment::expireJob),
                new Job(ContainmentService.NOTICE_JOB, notifier::runJob));
    }

    @Override
    public List<ApiExtension> api() {
        return List.of(json);
    }

    @Override
    public List<CardSection> cardSections() {
        return List.of(new ContainmentSection(containment));
    }
}
