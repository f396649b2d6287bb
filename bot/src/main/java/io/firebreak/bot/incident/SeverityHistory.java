package io.firebreak.bot.incident;

import io.firebreak.storage.Storage;
import io.firebreak.storage.timeline.TimelineEvent;

import java.util.List;
import java.util.Optional;

/**
 * Who set an incident's current severity, read from its timeline: the actor of the newest {@code opened} (with a
 * severity), {@code assessed} or {@code severity_changed} event. A severity set by someone who is not a responder
 * (an opener's guess, a reporter's first assessment, a report's hint) is <em>unconfirmed</em>: it grants no
 * pre-approval until a responder sets or confirms it.
 */
public final class SeverityHistory {
    private SeverityHistory() {
    }

    /** The Slack user (or report form) who set the current severity; empty while it is not assessed. */
    public static Optional<String> setBy(Storage.Tx tx, long incidentId) {
        List<TimelineEvent> events = tx.timeline().events(incidentId);
        for (int i = events.size() - 1; i >= 0; i--) {
            TimelineEvent event = events.get(i);
            boolean sets = switch (event.kind()) {
                case EventKinds.ASSESSED, EventKinds.SEVERITY_CHANGED -> true;
                case EventKinds.OPENED -> event.details().hasNonNull("severity");
                default -> false;
            };
            if (sets) {
                return Optional.of(event.actor());
            }
        }
        return Optional.empty();
    }
}
