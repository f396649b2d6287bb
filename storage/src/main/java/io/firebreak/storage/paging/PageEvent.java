package io.firebreak.storage.paging;

import java.time.Instant;
import java.util.Optional;

/**
 * One event sent (or to be sent) to PagerDuty's Events API for an incident.
 *
 * @param service     the configured service name it goes to (its routing key is configuration, never stored)
 * @param action      {@code trigger}, {@code acknowledge} or {@code resolve}
 * @param state       {@code QUEUED} (waiting to be sent or retried), {@code SENT} or {@code FAILED}
 * @param outcome     what PagerDuty answered, in words, once known
 */
public record PageEvent(
        long id,
        long incidentId,
        String service,
        String action,
        String requestedBy,
        Optional<String> reason,
        String state,
        int attempts,
        Optional<String> outcome,
        Instant requestedAt,
        Optional<Instant> finishedAt) {

    public static final String TRIGGER = "trigger";
    public static final String RESOLVE = "resolve";
    public static final String QUEUED = "QUEUED";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";

    public boolean failed() {
        return FAILED.equals(state);
    }
}
