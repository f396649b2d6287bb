package io.firebreak.bot.integrity;

import io.firebreak.storage.incident.IncidentKey;
import java.util.Optional;

/**
 * One thing a verification found wrong with the record.
 *
 * @param incident the incident it concerns, when it concerns one
 * @param seq      the event's sequence number, when it concerns one event
 * @param detail   what is wrong, in words
 */
public record Finding(Kind kind, Optional<IncidentKey> incident, Optional<Integer> seq, String detail) {

    /** What kind of wrong. */
    public enum Kind {
        /** An event a checkpoint covers now has other content. */
        CHANGED,
        /** An event a checkpoint covers is gone. */
        REMOVED,
        /** A new event sits where a checkpoint says another one was. */
        INSERTED,
        /** A covered event is still there, under another sequence number. */
        REORDERED,
        /** Events after the last checkpoint whose hashes or links do not hold. */
        CHAIN_BROKEN,
        /** The incident row's severity, phase or commander is not what its events say. */
        ROW_MISMATCH,
        /** A containment run's stored state is not what its events say, or one of them is missing. */
        CONTAINMENT_MISMATCH,
        /** A checkpoint that is not signed by the trusted key, or does not hold together: not used. */
        CHECKPOINT_REFUSED,
        /** Two trusted checkpoints disagree, or one does not name the one before it. */
        CHECKPOINT_CONFLICT
    }

    static Finding of(Kind kind, long incidentId, int seq, String detail) {
        return new Finding(kind, Optional.of(new IncidentKey(incidentId)), Optional.of(seq), detail);
    }

    static Finding of(Kind kind, long incidentId, String detail) {
        return new Finding(kind, Optional.of(new IncidentKey(incidentId)), Optional.empty(), detail);
    }

    static Finding of(Kind kind, String detail) {
        return new Finding(kind, Optional.empty(), Optional.empty(), detail);
    }

    /** One line, e.g. {@code CHANGED INC-3 event 5: …}. */
    public String line() {
        return kind + incident.map(k -> " " + k).orElse("")
                + seq.map(s -> " event " + s).orElse("") + ": " + detail;
    }
}
