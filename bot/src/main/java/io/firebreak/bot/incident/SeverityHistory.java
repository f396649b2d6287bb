package io.firebreak.bot.incident;

import io.firebreak.storage.Storage;
import java.util.Optional;

/**
 * Who set an incident's current severity, read from its timeline: the actor of the newest {@code opened} (with a
 * severity), {@code assessed} or {@code severity_changed} event. A severity set by someone who is not a responder
 * (an opener's guess, a reporter's first assessment, a report's hint) is <em>unconfirmed</em>: it grants no
 * pre-approval until a responder sets or confirms it.
 */
public final class SeverityHistory {
    private SeverityHistory() {}

    /** The Slack user (or report form) who set the current severity; empty while it is not assessed. */
    public static Optional<String> setBy(Storage.Tx tx, long incidentId) {
        return tx.handle()
                .createQuery("""
                        select actor from timeline_event where incident_id = :incidentId
                        and (kind in (:assessed, :changed) or (kind = :opened and details ->> 'severity' is not null))
                        order by seq desc limit 1
                        """)
                .bind("incidentId", incidentId)
                .bind("assessed", EventKinds.ASSESSED)
                .bind("changed", EventKinds.SEVERITY_CHANGED)
                .bind("opened", EventKinds.OPENED)
                .mapTo(String.class)
                .findOne();
    }
}
