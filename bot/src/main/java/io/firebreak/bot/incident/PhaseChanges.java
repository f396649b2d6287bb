package io.firebreak.bot.incident;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;

/** What else happens, in the same transaction, whenever an incident changes phase (a signed checkpoint is asked for). */
@FunctionalInterface
public interface PhaseChanges {

    void changed(Storage.Tx tx, IncidentKey key, Phase to);

    /** Nothing else happens. */
    static PhaseChanges none() {
        return (tx, key, to) -> {
        };
    }
}
