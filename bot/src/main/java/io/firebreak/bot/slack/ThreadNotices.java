package io.firebreak.bot.slack;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Tells everyone following an incident what changed: a reply in the card's thread, posted after the ack.
 * The card itself is updated by the card job; the notice says who did what.
 */
public final class ThreadNotices {
    private final Function<IncidentKey, Optional<Incident>> incidents;
    private final SlackWebApi slack;
    private final Executor afterAck;

    public ThreadNotices(Function<IncidentKey, Optional<Incident>> incidents, SlackWebApi slack, Executor afterAck) {
        this.incidents = incidents;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    /** Posts {@code text} (mrkdwn) in the incident's card thread, once the card exists. */
    public void post(IncidentKey key, String text) {
        afterAck.execute(() -> incidents.apply(key).ifPresent(incident -> {
            if (incident.cardChannel().isPresent() && incident.cardTs().isPresent()) {
                slack.call("chat.postMessage", m -> m.chatPostMessage(r -> r.channel(incident.cardChannel().get())
                        .threadTs(incident.cardTs().get()).text(text)));
            }
        }));
    }
}
