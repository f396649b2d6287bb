package io.firebreak.storage.evidence;

import java.time.Instant;

/** A failure point as a person set it. */
public record FailurePointRecord(
        long id, long incidentId, FailurePoint point, String explanation, String setBy, Instant setAt) {}
