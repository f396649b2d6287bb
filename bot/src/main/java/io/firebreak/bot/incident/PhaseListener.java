package io.firebreak.bot.incident;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;

/**
 * What a feature does when an incident changes phase, in the transaction that changes it: so that the consequence
 * (posting the postmortem at close) commits with the change or not at all, whichever way the phase was changed.
 */
@FunctionalInterface
public interface PhaseListener {

    /** {@code incident} as it was before the move from its phase to {@code to}. */
    void moved(Storage.Tx tx, Incident incident, Phase to);
}
