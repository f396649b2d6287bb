package io.firebreak.bot.signals;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.signals.StoredSignal;
import java.util.Optional;

/**
 * A signal as a digest sees it: its alerts so far and since the last digest.
 *
 * @param first      true for the announcement of a new signal
 * @param newAlerts  alerts since the last digest (all of them for the first)
 * @param lastStatus the newest alert's status, {@code firing} or {@code resolved}
 */
public record SignalSummary(
        StoredSignal signal,
        Incident incident,
        boolean first,
        int alerts,
        int newAlerts,
        int resolved,
        Optional<String> lastStatus) {

    /** True when the newest alert said the problem is over at the source (the incident stays as it is). */
    public boolean resolvedAtSource() {
        return lastStatus.filter("resolved"::equals).isPresent();
    }

    public String key() {
        return "SIG-" + signal.id();
    }
}
