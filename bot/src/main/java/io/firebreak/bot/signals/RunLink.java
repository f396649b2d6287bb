package io.firebreak.bot.signals;

import io.firebreak.storage.incident.IncidentKey;

/** Attaches an agent run named by an alert to its incident (its evidence is fetched), in the caller's transaction. */
@FunctionalInterface
public interface RunLink {
    void attach(IncidentKey incident, String runId, String actor, String signal);
}
