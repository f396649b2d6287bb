package io.firebreak.bot.signals;

import io.firebreak.storage.Storage;

/** Tells the incident's channel about a signal, in the caller's transaction (a durable notice, posted later). */
@FunctionalInterface
public interface SignalAnnouncer {
    void announce(Storage.Tx tx, SignalSummary summary);
}
