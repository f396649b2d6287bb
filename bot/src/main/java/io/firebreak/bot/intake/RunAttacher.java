package io.firebreak.bot.intake;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import java.util.Optional;

/** Attaches an agent run named in a user report to the incident, so its evidence is captured. */
@FunctionalInterface
public interface RunAttacher {

    /**
     * Attaches {@code runId} in the caller's transaction (enqueueing the evidence fetch with it); returns why it
     * was not attached (a snapshot limit, no backend configured), or empty.
     */
    Optional<String> attach(
            Storage.Tx tx, IncidentKey incident, String runId, Optional<String> source, String actor, long reportId);
}
