package io.firebreak.bot.incident;

import io.firebreak.storage.Storage;

/**
 * What else a change stores, in the change's own transaction, once it is made: the notice that tells everyone
 * following the incident, so the change and its notice commit, or roll back, together.
 */
@FunctionalInterface
public interface OnChange {
    /** Stores nothing more. */
    OnChange NOTHING = (tx, outcome) -> {};

    /** Called inside the transaction of a change whose outcome is {@link Outcome#changed()}. */
    void changed(Storage.Tx tx, Outcome outcome);
}
