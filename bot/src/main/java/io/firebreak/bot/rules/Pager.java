package io.firebreak.bot.rules;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;

/**
 * Pages a service for an incident, in the caller's transaction (enqueue the call; never call out here). The
 * composition root wires it to the paging feature; {@link TimelinePager} only records the request.
 */
@FunctionalInterface
public interface Pager {
    void page(Storage.Tx tx, IncidentKey incident, String service, String reason, String actor);
}
