package io.firebreak.bot.slack;

import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.jobs.RetryLater;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Posts an incident's card once, then updates that same message on every change. */
public final class CardPublisher {
    private static final Logger log = LoggerFactory.getLogger(CardPublisher.class);

    private final IncidentService incidents;
    private final SlackWebApi slack;
    private final IncidentCard card;
    private final java.time.Clock clock;

    public CardPublisher(IncidentService incidents, SlackWebApi slack, IncidentCard card, java.time.Clock clock) {
        this.incidents = incidents;
        this.slack = slack;
        this.card = card;
        this.clock = clock;
    }

    /**
     * Job handler for {@link IncidentService#CARD_JOB}: publishes the card, one publication per incident at a
     * time (two could otherwise both find no card yet and post two), and runs again when Slack is rate limiting
     * or unreachable.
     */
    public void runJob(String instanceId) {
        IncidentKey key = IncidentService.cardJobIncident(instanceId);
        Optional<SlackWebApi.Result<?>> failed = incidents.withCardLock(key, () -> publishOnce(key));
        failed.ifPresent(result -> {
            if (result.retryable()) {
                throw new RetryLater(clock.instant().plus(result.retryAfter().orElse(java.time.Duration.ofSeconds(5))),
                        "Slack answered " + result.error().orElse("unknown") + " for the card of " + key);
            }
        });
    }

    /**
     * Shows the incident's current state: {@code chat.update} on the card if it was posted, else
     * {@code chat.postMessage} to where it was opened. Returns Slack's error code when that failed.
     */
    public Optional<String> publish(IncidentKey key) {
        return publishOnce(key).flatMap(SlackWebApi.Result::error);
    }

    private Optional<SlackWebApi.Result<?>> publishOnce(IncidentKey key) {
        Optional<Incident> found = incidents.find(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Incident incident = found.get();
        if (incident.cardChannel().isPresent() && incident.cardTs().isPresent()) {
            SlackWebApi.Result<?> updated = slack.call("chat.update", m -> m.chatUpdate(r -> r
                    .channel(incident.cardChannel().get()).ts(incident.cardTs().get())
                    .text(card.fallbackText(incident)).blocks(card.blocks(incident))));
            return updated.ok() ? Optional.empty() : Optional.of(updated);
        }
        Optional<String> channel = incident.channelId().or(incident::originChannel);
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        SlackWebApi.Result<com.slack.api.methods.response.chat.ChatPostMessageResponse> posted = slack.call("chat.postMessage",
                m -> m.chatPostMessage(r -> r.channel(channel.get()).text(card.fallbackText(incident)).blocks(card.blocks(incident))));
        posted.response().ifPresent(r -> {
            incidents.recordCard(key, r.getChannel(), r.getTs());
            log.info("posted the card of {} to {}", key, r.getChannel());
        });
        return posted.ok() ? Optional.empty() : Optional.of(posted);
    }
}
