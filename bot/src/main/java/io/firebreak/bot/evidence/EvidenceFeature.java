package io.firebreak.bot.evidence;

import io.firebreak.bot.evidence.slack.EvidenceCommands;
import io.firebreak.bot.evidence.slack.EvidenceSummary;
import io.firebreak.bot.evidence.slack.EvidenceThread;
import io.firebreak.bot.evidence.slack.RunsSection;
import io.firebreak.bot.evidence.web.EvidenceApi;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.web.ApiExtension;
import java.util.List;

/** Run evidence: attaching runs, fetching and freezing their traces, the thread summary and the failure point. */
public final class EvidenceFeature implements Feature {
    private final EvidenceService evidence;
    private final EvidenceThread thread;
    private final EvidenceCommands commands;
    private final EvidenceApi api;

    public EvidenceFeature(Basics basics, EvidenceService evidence, IncidentService incidents) {
        this.evidence = evidence;
        this.thread = new EvidenceThread(
                evidence,
                basics.slack(),
                new EvidenceSummary(basics.config().publicUrl(), basics.config().slashCommand()),
                basics.clock());
        this.commands = new EvidenceCommands(evidence, incidents, basics.slack(), basics.resolver());
        this.api = new EvidenceApi(evidence, basics.json());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(commands);
    }

    @Override
    public List<Job> jobs() {
        return List.of(
                new Job(EvidenceService.FETCH_JOB, evidence::runFetchJob),
                new Job(EvidenceService.THREAD_JOB, thread::runJob));
    }

    @Override
    public List<ApiExtension> api() {
        return List.of(api);
    }

    @Override
    public List<CardSection> cardSections() {
        return List.of(new RunsSection(evidence));
    }
}
