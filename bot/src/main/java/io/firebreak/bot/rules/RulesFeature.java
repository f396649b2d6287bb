package io.firebreak.bot.rules;

import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.rules.slack.RulePosts;
import io.firebreak.bot.rules.slack.RulesCommands;
import io.firebreak.bot.slack.SlackFeature;
import java.util.List;

/** Automation rules: {@code /incident rules}, and the posts rules make to their channels. */
public final class RulesFeature implements Feature {
    private final RulesCommands commands;
    private final RulePosts posts;

    public RulesFeature(Basics basics, RulesEngine engine, IncidentService incidents) {
        this.commands = new RulesCommands(engine, basics.config().slashCommand());
        this.posts = new RulePosts(incidents, engine.rules(), basics.slack(), basics.clock());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(commands);
    }

    @Override
    public List<Job> jobs() {
        return List.of(new Job(RulesEngine.POST_JOB, posts::runJob));
    }
}
