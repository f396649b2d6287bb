package io.firebreak.bot.postmortem;

import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.RetryPolicy;
import io.firebreak.bot.postmortem.slack.PostmortemCommands;
import io.firebreak.bot.postmortem.slack.PostmortemPoster;
import io.firebreak.bot.postmortem.web.PostmortemApi;
import io.firebreak.bot.slack.CardButton;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.web.ApiExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Correction and postmortem: recording the verified fix, the follow-ups the close gate asks for, the postmortem
 * document, and regression cases pushed to a Langfuse dataset when one is configured.
 */
public final class PostmortemFeature implements Feature {
    private final PostmortemPoster poster;
    private final PostmortemCommands commands;
    private final PostmortemApi api;
    private final Optional<DatasetPush> datasetPush;

    /**
     * @param posting     posts the postmortem at close (the incident service calls it) and on request
     * @param runEvidence what the attached runs showed, for regression cases
     * @param sections    the other features' postmortem sections, in the order they appear
     */
    public PostmortemFeature(
            Basics basics,
            IncidentService incidents,
            PostmortemPosting posting,
            RunEvidence runEvidence,
            List<PostmortemSection> sections) {
        var config = basics.config();
        boolean pushRegressions = config.langfuseDataset().isPresent()
                && config.evidence().langfuse().isPresent();
        CorrectionService corrections = new CorrectionService(basics.storage(), incidents, basics.mapper());
        FollowUpService followUps =
                new FollowUpService(basics.storage(), incidents, runEvidence, pushRegressions, basics.mapper());
        this.datasetPush = pushRegressions
                ? Optional.of(new DatasetPush(
                        basics.storage(),
                        incidents,
                        config.evidence().langfuse().get(),
                        config.langfuseDataset().get(),
                        new OutboundHttp(Duration.ofSeconds(5), Duration.ofSeconds(20), basics.clock()),
                        RetryPolicy.standard(),
                        basics.mapper()))
                : Optional.empty();
        PostmortemWriter postmortems = new PostmortemWriter(basics.storage(), sections);
        this.poster = new PostmortemPoster(
                basics.storage(), incidents, postmortems, basics.slack(), basics.mapper(), basics.clock());
        this.commands = new PostmortemCommands(
                incidents, corrections, followUps, posting, basics.modals(), basics.notices(), basics.resolver());
        this.api = new PostmortemApi(corrections, followUps, postmortems, basics.json());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(commands);
    }

    @Override
    public List<Job> jobs() {
        List<Job> jobs = new ArrayList<>(List.of(new Job(PostmortemPosting.JOB, poster::runJob)));
        datasetPush.ifPresent(push -> jobs.add(new Job(FollowUpService.DATASET_JOB, push::runJob)));
        return jobs;
    }

    @Override
    public List<ApiExtension> api() {
        return List.of(api);
    }

    @Override
    public List<CardSection> cardSections() {
        return List.of(commands);
    }

    @Override
    public List<CardButton> cardButtons() {
        return List.of(
                new CardButton(PostmortemCommands.CORRECT_BUTTON, "Record correction", 60),
                new CardButton(PostmortemCommands.FOLLOWUP_BUTTON, "Add follow-up", 70));
    }
}
