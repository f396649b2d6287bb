package io.firebreak.bot.rules.slack;

import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.rules.RuleSet;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Job handler of {@code rule-post}: posts an incident a rule matched to the rule's channel, retried while Slack is down. */
public final class RulePosts {
    private final IncidentService incidents;
    private final RuleSet rules;
    private final SlackWebApi slack;
    private final Clock clock;

    public RulePosts(IncidentService incidents, RuleSet rules, SlackWebApi slack, Clock clock) {
        this.incidents = incidents;
        this.rules = rules;
        this.slack = slack;
        this.clock = clock;
    }

    public void runJob(String instanceId) {
        String[] parts = JobIds.split(instanceId, 3);
        Optional<Incident> incident = incidents.find(new IncidentKey(Long.parseLong(parts[0])));
        if (incident.isEmpty() || !slack.configured()) {
            return;
        }
        String text = text(incident.get(), parts[1]);
        SlackWebApi.Result<?> posted = slack.forIncident(incident.get())
                .call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(r -> r.channel(parts[2]).text(text)));
        if (posted.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(posted.retryAfter().orElse(Duration.ofSeconds(10))),
                    "Slack answered " + posted.error().orElse("?") + " for rule " + parts[1] + "'s post");
        }
    }

    String text(Incident incident, String ruleId) {
        String why = rules.find(ruleId)
                .map(r -> r.description().isBlank() ? "" : ": " + BlockKit.escaped(r.description(), 300))
                .orElse("");
        return BlockKit.cut(
                ":robot_face: Rule `" + SlackText.escape(ruleId) + "` matched *" + incident.key() + "* "
                        + BlockKit.escaped(incident.title(), 300) + " (" + SlackText.severityPlain(incident) + ")" + why
                        + "\n`/incident show " + incident.key() + "` shows it.",
                3900);
    }
}
