package io.firebreak.bot.integrity.slack;

import io.firebreak.bot.integrity.Checkpoint;
import io.firebreak.bot.integrity.CheckpointPublisher;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.SlackWebApi;
import java.time.Clock;
import java.time.Duration;

/**
 * Posts each checkpoint to the audit channel ({@code FIREBREAK_AUDIT_CHANNEL}) as one compact message: the signed
 * statement's fields and its signature, enough to check it against a record without the checkpoint file. Slack
 * keeps the message out of the database role's reach.
 */
public final class AuditChannel implements CheckpointPublisher {
    private final SlackWebApi slack;
    private final String channel;
    private final Clock clock;

    public AuditChannel(SlackWebApi slack, String channel, Clock clock) {
        this.slack = slack;
        this.channel = channel;
        this.clock = clock;
    }

    @Override
    public String target() {
        return "slack";
    }

    @Override
    public String publish(Checkpoint checkpoint) {
        String text = text(checkpoint);
        SlackWebApi.Result<com.slack.api.methods.response.chat.ChatPostMessageResponse> posted = slack.call(
                "chat.postMessage",
                m -> m.chatPostMessage(r -> r.channel(channel).text(text).unfurlLinks(false)));
        if (posted.ok()) {
            return channel + "/" + posted.response().get().getTs();
        }
        if (posted.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(posted.retryAfter().orElse(Duration.ofSeconds(30))),
                    "Slack did not take checkpoint #" + checkpoint.number() + " ("
                            + posted.error().orElse("?") + ")");
        }
        // Not worth retrying (no token, not in the channel): the file is published; say why in the record.
        return "not posted: " + posted.error().orElse("unknown");
    }

    /** One message per checkpoint; every field of the signed statement is in it, in a form that copies cleanly. */
    static String text(Checkpoint c) {
        return ":lock: Firebreak checkpoint *#" + c.number() + "* · " + c.incidents() + " incidents · " + c.events()
                + " events\n"
                + "```made_at=" + c.madeAt() + "\nroot=" + c.root() + "\nprevious=" + c.previous() + "\nkey="
                + c.keyId()
                + "\nsignature=" + c.signature() + "```";
    }
}
