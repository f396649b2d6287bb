package io.firebreak.storage.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of an incident's append-only history.
 *
 * @param seq      1 for the first event of an incident, then 2, 3, …
 * @param actor    who did it: a Slack user ID, {@code firebreak}, or a report form
 * @param kind     what happened, e.g. {@code opened}, {@code note}, {@code severity_changed}
 * @param details  what else is worth keeping, as JSON
 * @param prevHash the previous event's hash, or 64 zeros for the first
 * @param hash     SHA-256 over this event's canonical content and {@code prevHash}
 */
public record TimelineEvent(
        long id,
        long incidentId,
        int seq,
        Instant at,
        String actor,
        String kind,
        JsonNode details,
        String prevHash,
        String hash) {}
