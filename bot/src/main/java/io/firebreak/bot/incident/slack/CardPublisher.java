package io.firebreak.bot.incident.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsCreateResponse;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an incident's card in Slack: on first publication creates the incident's own channel (when enabled),
 * posts the card there and links it from where the incident was opened; afterwards updates that same message.
 * When a channel cannot be made (name taken, missing scope, …) the card goes to the origin channel and its
 * thread says why.
 */
public final class CardPublisher {
    private static final Logger log = LoggerFactory.getLogger(CardPublisher.class);
    /** Slack's longest channel name. */
    static final int CHANNEL_NAME_MAX = 80;
    /** When a card job runs again while another publication of the same card holds its lock. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private final IncidentService incidents;
    private final SlackWebApi slack;
    private final IncidentCard card;
    private final Clock clock;
    private final boolean incidentChannels;
    private final Tenancy tenancy;

    public CardPublisher(
            IncidentService incidents,
            SlackWebApi slack,
            IncidentCard card,
            Clock clock,
            boolean incidentChannels,
            ObjectMapper mapper,
            Tenancy tenancy) {
        this.tenancy = tenancy;
        this.incidents = incidents;
        this.slack = slack;
        this.card = card;
        this.clock = clock;
        this.incidentChannels = incidentChannels;
    }

    /** Slack as the incident's own workspace: its card, channel and notices carry that workspace's token. */
    private SlackWebApi slack(Incident incident) {
        return slack.forWorkspace(tenancy.workspaceOf(incident));
    }

    /**
     * Job handler for {@link IncidentService#CARD_JOB}: publishes the card, one publication per incident at a
     * time (two could otherwise both find no card yet and post two), and runs again when Slack is rate limiting
     * or unreachable.
     */
    public void runJob(String instanceId) {
        TimelineRecorder.CardRefresh refresh = TimelineRecorder.CardRefresh.parse(instanceId);
        IncidentKey key = refresh.incident();
        LogContext.incident(key);
        Optional<Optional<SlackWebApi.Result<?>>> done = incidents.withCardLock(key, () -> publishOnce(key));
        if (done.isEmpty()) {
            if (incidents.anotherCardRefreshWaiting(refresh)) {
                return; // a later update waits, and reads the incident when it runs
            }
            // Another publication of this card is under way and may have read the incident before this change.
            throw new RetryLater(clock.instant().plus(BUSY_RETRY), "the card of " + key + " is being published");
        }
        Optional<SlackWebApi.Result<?>> failed = done.get();
        failed.filter(SlackWebApi.Result::retryable)
                .filter(result -> !incidents.anotherCardRefreshWaiting(refresh))
                .ifPresent(result -> {
                    throw new RetryLater(
                            clock.instant().plus(result.retryAfter().orElse(Duration.ofSeconds(5))),
                            "Slack answered " + result.error().orElse("?") + " for the card of " + key);
                });
    }

    /** Publishes the card now; returns Slack's error code when that failed. */
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
            return updateCard(incident);
        }
        // A private incident always gets its own private channel: it has nowhere else to be discussed.
        if ((incidentChannels || incident.privateIncident())
                && slack(incident).configured()
                && incident.channelId().isEmpty()
                && incident.channelError().isEmpty()) {
            Optional<SlackWebApi.Result<?>> failed = createChannel(incident);
            if (failed.isPresent()) {
                return failed;
            }
            return postCard(incidents.find(key).orElseThrow());
        }
        return postCard(incident);
    }

    private Optional<SlackWebApi.Result<?>> updateCard(Incident incident) {
        SlackWebApi slack = slack(incident); // as the incident's own workspace
        SlackWebApi.Result<?> updated = slack.call(
                "chat.update",
                m -> m.chatUpdate(r -> r.channel(incident.cardChannel().get())
                        .ts(incident.cardTs().get())
                        .text(card.fallbackText(incident))
                        .blocks(card.blocks(incident))));
        if (updated.refused()) {
            // The card stays in Slack's hands as it was; say in it what it is now, plainly, so nobody reads a stale
            // card.
            log.warn(
                    "Slack refused the card of {} ({}); updating it to the plain fallback",
                    incident.key(),
                    updated.error().get());
            SlackWebApi.Result<?> plain = slack.call(
                    "chat.update",
                    m -> m.chatUpdate(r -> r.channel(incident.cardChannel().get())
                            .ts(incident.cardTs().get())
                            .text(RefusedCard.text(incident))
                            .blocks(List.of())));
            return plain.ok() || !plain.retryable() ? Optional.empty() : Optional.of(plain);
        }
        return updated.ok() ? Optional.empty() : Optional.of(updated);
    }

    private Optional<SlackWebApi.Result<?>> createChannel(Incident incident) {
        SlackWebApi slack = slack(incident); // as the incident's own workspace
        // A private incident's channel is named by its key alone: its title is for its members only.
        String name =
                incident.privateIncident() ? incident.key().lowerCase() : channelName(incident.key(), incident.title());
        SlackWebApi.Result<ConversationsCreateResponse> created = slack.call(
                "conversations.create",
                m -> m.conversationsCreate(r -> r.name(name).isPrivate(incident.privateIncident())));
        if (created.retryable()) {
            return Optional.of(created);
        }
        if (!created.ok()) {
            incidents.recordChannelFailure(incident.key(), name, created.error().orElse("unknown"));
            return Optional.empty();
        }
        incidents.recordChannel(
                incident.key(), created.response().get().getChannel().getId(), name);
        return Optional.empty();
    }

    /**
     * Invites the reporter and the commander to the incident's channel. Done with the first post of the card, so a
     * rate-limited or failed invite is retried with it; inviting someone already there changes nothing.
     */
    private Optional<SlackWebApi.Result<?>> invite(Incident incident, String channel) {
        SlackWebApi slack = slack(incident); // as the incident's own workspace
        Set<String> invite = new LinkedHashSet<>();
        for (String user : new String[] {incident.reporter(), incident.commander()}) {
            if (SlackText.isUserId(user)) {
                invite.add(user);
            }
        }
        if (invite.isEmpty()) {
            return Optional.empty();
        }
        SlackWebApi.Result<?> invited = slack.call(
                "conversations.invite",
                m -> m.conversationsInvite(r -> r.channel(channel).users(java.util.List.copyOf(invite))));
        return invited.retryable() ? Optional.of(invited) : Optional.empty();
    }

    private Optional<SlackWebApi.Result<?>> postCard(Incident incident) {
        SlackWebApi slack = slack(incident); // as the incident's own workspace
        if (incident.channelId().isPresent()) {
            Optional<SlackWebApi.Result<?>> notInvited =
                    invite(incident, incident.channelId().get());
            if (notInvited.isPresent()) {
                return notInvited;
            }
        }
        // Without its own channel, a private incident's card goes to its commander alone, never to where it was opened.
        Optional<String> target = incident.privateIncident()
                ? incident.channelId()
                        .or(() -> Optional.of(incident.commander()).filter(SlackText::isUserId))
                : incident.channelId()
                        .or(incident::originChannel)
                        .or(() -> Optional.of(incident.reporter()).filter(SlackText::isUserId));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        SlackWebApi.Result<ChatPostMessageResponse> posted = slack.call(
                "chat.postMessage",
                m -> m.chatPostMessage(r -> r.channel(target.get())
                        .text(card.fallbackText(incident))
                        .blocks(card.blocks(incident))));
        if (posted.refused()) {
            // Never the same refused payload again: the plain card keeps the incident visible and is what later updates
            // edit.
            log.warn(
                    "Slack refused the card of {} ({}); posting the plain fallback",
                    incident.key(),
                    posted.error().get());
            posted = slack.call(
                    "chat.postMessage",
                    m -> m.chatPostMessage(r -> r.channel(target.get()).text(RefusedCard.text(incident))));
        }
        if (!posted.ok()) {
            return Optional.of(posted);
        }
        ChatPostMessageResponse message = posted.response().get();
        incidents.recordCard(incident.key(), message.getChannel(), message.getTs());
        log.info("posted the card of {} to {}", incident.key(), message.getChannel());
        Optional<String> origin = incident.originChannel().filter(o -> !o.equals(message.getChannel()));
        if (incident.privateIncident() && origin.isPresent()) {
            slack.call(
                    "chat.postMessage",
                    m -> m.chatPostMessage(r -> r.channel(origin.get()).text(PrivateFlag.ORIGIN_NOTICE)));
        } else if (incident.channelId().isPresent() && origin.isPresent()) {
            slack.call(
                    "chat.postMessage",
                    m -> m.chatPostMessage(r -> r.channel(origin.get())
                            .text(":rotating_light: *" + incident.key() + "* "
                                    + BlockKit.escaped(incident.title(), RefusedCard.TITLE) + " ("
                                    + SlackText.severityPlain(incident) + ") is being handled in <#"
                                    + incident.channelId().get() + ">")));
        }
        incident.channelError()
                .ifPresent(error -> slack.call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(r -> r.channel(message.getChannel())
                                .threadTs(message.getTs())
                                .text(":warning: " + incident.key() + " has no channel of its own: Slack answered `"
                                        + error + "`" + hint(error) + ". Responding here instead."))));
        return Optional.empty();
    }

    private static String hint(String error) {
        return switch (error) {
            case "name_taken" -> " (a channel with that name already exists)";
            case "missing_scope" ->
                " (add the channels:manage scope to the Slack app, and groups:write for private incidents)";
            case "restricted_action" -> " (this workspace does not let apps create channels)";
            default -> "";
        };
    }

    /** {@code inc-<n>-<slug of the title>}, lower-case ASCII, at most 80 characters. */
    static String channelName(IncidentKey key, String title) {
        String slug = Normalizer.normalize(title, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        String name = key.lowerCase() + (slug.isEmpty() ? "" : "-" + slug);
        if (name.length() > CHANNEL_NAME_MAX) {
            name = name.substring(0, CHANNEL_NAME_MAX).replaceAll("-+$", "");
        }
        return name;
    }
}
