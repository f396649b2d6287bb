package io.firebreak.bot.capture.slack;

import com.slack.api.methods.response.chat.ChatGetPermalinkResponse;
import com.slack.api.model.Message;
import io.firebreak.bot.capture.CaptureService;
import io.firebreak.bot.capture.CaptureService.CapturedMessage;
import io.firebreak.bot.capture.CaptureService.MessageContent;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.capture.Capture;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable job behind {@link CaptureService#CAPTURE_JOB}: reads the message from Slack when only its
 * channel and ts are known (a pin), gets its permalink, and captures it. Runs again when Slack is rate
 * limiting or unreachable, so a request is never lost; a permanent failure is logged and, for a shortcut,
 * told to the person who used it.
 */
public final class MessageCaptureJob {
    private static final Logger log = LoggerFactory.getLogger(MessageCaptureJob.class);
    /** Longest wait between tries, whatever Slack's Retry-After says. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final CaptureService captures;
    private final SlackWebApi slack;
    private final Clock clock;
    private final java.util.function.Function<IncidentKey, Optional<io.firebreak.storage.incident.Incident>> incidents;

    /** {@code incidents} finds the capture's incident, whose workspace's token reads the message. */
    public MessageCaptureJob(
            CaptureService captures,
            SlackWebApi slack,
            Clock clock,
            java.util.function.Function<IncidentKey, Optional<io.firebreak.storage.incident.Incident>> incidents) {
        this.incidents = incidents;
        this.captures = captures;
        this.slack = slack;
        this.clock = clock;
    }

    /** What reading the message gave: its content, or why Slack would not give it. */
    private record Read(Optional<MessageContent> content, Optional<String> problem) {
        static Read found(MessageContent content) {
            return new Read(Optional.of(content), Optional.empty());
        }

        static Read failed(String problem) {
            return new Read(Optional.empty(), Optional.of(problem));
        }
    }

    /** Slack as the capture's incident's workspace. */
    private SlackWebApi slack(Capture capture) {
        return incidents
                .apply(new IncidentKey(capture.incidentId()))
                .map(slack::forIncident)
                .orElse(slack);
    }

    /** Job handler: idempotent, since it acts only while the capture is pending on this attempt. */
    public void run(String instanceId) {
        Optional<Capture> pending = captures.pendingFor(CaptureService.Attempt.parse(instanceId));
        if (pending.isEmpty()) {
            return;
        }
        Capture capture = pending.get();
        Read read = capture.author().isPresent() && capture.text().isPresent()
                ? Read.found(new MessageContent(
                        capture.author().get(), capture.text().get(), capture.threadTs()))
                : read(capture);
        if (read.problem().isPresent()) {
            fail(capture, read.problem().get());
            return;
        }
        SlackWebApi.Result<ChatGetPermalinkResponse> link = slack(capture)
                .call(
                        "chat.getPermalink",
                        m -> m.chatGetPermalink(
                                r -> r.channel(capture.channelId()).messageTs(capture.messageTs())));
        retryIfTransient(capture, link);
        Optional<TimelineEvent> event = captures.complete(
                capture.id(),
                capture.attempt(),
                new CapturedMessage(
                        read.content().orElseThrow(), SlackText.time(capture.messageTs()),
                        link.response().map(ChatGetPermalinkResponse::getPermalink), link.error()));
        event.ifPresent(e -> {
            log.info(
                    "captured message {} of {} into {} (event {})",
                    capture.messageTs(),
                    capture.channelId(),
                    new IncidentKey(capture.incidentId()),
                    e.seq());
            tell(
                    capture,
                    ":pushpin: Added "
                            + link.response()
                                    .map(r -> "<" + r.getPermalink() + "|this message>")
                                    .orElse("this message") + " to the timeline of *"
                            + new IncidentKey(capture.incidentId()) + "*.");
        });
    }

    /**
     * Reads the message from the channel's history ({@code latest=ts}, inclusive, one message), or, for a
     * reply in a thread, which history does not list, from the thread.
     */
    private Read read(Capture capture) {
        var history = slack(capture)
                .call(
                        "conversations.history",
                        m -> m.conversationsHistory(r -> r.channel(capture.channelId())
                                .latest(capture.messageTs())
                                .inclusive(true)
                                .limit(1)));
        retryIfTransient(capture, history);
        if (!history.ok()) {
            return Read.failed(history.error().orElseThrow());
        }
        Optional<Message> found = matching(history.response().get().getMessages(), capture.messageTs());
        if (found.isPresent()) {
            return Read.found(TimelineCapture.content(found.get()));
        }
        var thread = slack(capture)
                .call(
                        "conversations.replies",
                        m -> m.conversationsReplies(r -> r.channel(capture.channelId())
                                .ts(capture.messageTs())
                                .oldest(capture.messageTs())
                                .latest(capture.messageTs())
                                .inclusive(true)
                                .limit(2)));
        retryIfTransient(capture, thread);
        if (!thread.ok()) {
            String error = thread.error().orElseThrow();
            return Read.failed(error.equals("thread_not_found") ? "message_not_found" : error);
        }
        return matching(thread.response().get().getMessages(), capture.messageTs())
                .map(m -> Read.found(TimelineCapture.content(m)))
                .orElse(Read.failed("message_not_found"));
    }

    private static Optional<Message> matching(List<Message> messages, String ts) {
        return messages == null
                ? Optional.empty()
                : messages.stream().filter(m -> ts.equals(m.getTs())).findFirst();
    }

    /** Throws {@link RetryLater} when Slack may answer later: at its Retry-After, else with growing waits. */
    private void retryIfTransient(Capture capture, SlackWebApi.Result<?> result) {
        if (result.ok() || !result.retryable()) {
            return;
        }
        int tries = captures.tried(capture.id());
        Duration backoff = Duration.ofSeconds(1L << Math.min(tries, 8));
        Duration wait = result.retryAfter().orElse(backoff);
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        throw new RetryLater(
                clock.instant().plus(wait),
                "Slack answered " + result.error().orElse("unknown") + " while capturing message " + capture.messageTs()
                        + " (capture " + capture.id() + ", try " + tries + ")");
    }

    private void fail(Capture capture, String error) {
        if (!captures.fail(capture.id(), capture.attempt(), error)) {
            return;
        }
        log.warn(
                "could not capture message {} of {} into {}: Slack answered {}",
                capture.messageTs(),
                capture.channelId(),
                new IncidentKey(capture.incidentId()),
                error);
        tell(
                capture,
                ":warning: Could not add that message to the timeline of *" + new IncidentKey(capture.incidentId())
                        + "*: " + explain(error, capture.channelId()));
    }

    /** Tells the person who used the shortcut, through its response_url; pins have no one to answer. */
    private void tell(Capture capture, String text) {
        capture.responseUrl().ifPresent(url -> slack.respond(url, text));
    }

    /** What a Slack error code means for the person, and what to do about it. */
    static String explain(String error, String channel) {
        return switch (error) {
            case "not_in_channel" ->
                "Firebreak is not a member of <#" + channel + ">. Invite it (`/invite @Firebreak`) and try again.";
            case "channel_not_found" ->
                "Firebreak cannot see <#" + channel + "> (a private channel it was not invited to?).";
            case "message_not_found" -> "Slack no longer has that message (was it deleted?).";
            case "missing_scope" ->
                "the Firebreak Slack app lacks a permission it needs; reinstall it from manifests/slack-app.yml.";
            case "not_configured" -> "Firebreak has no Slack bot token (SLACK_BOT_TOKEN), so it cannot read messages.";
            default -> "Slack answered `" + error + "`.";
        };
    }
}
