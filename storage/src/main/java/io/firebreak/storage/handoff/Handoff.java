package io.firebreak.storage.handoff;

import java.time.Instant;
import java.util.Optional;

/** An on-call handoff of one incident: offered by {@code fromUser} to {@code toUser}, pending until accepted. */
public record Handoff(
        long id,
        long incidentId,
        String fromUser,
        String toUser,
        Optional<String> note,
        Instant offeredAt,
        Optional<Instant> acceptedAt,
        boolean superseded) {

    public boolean pending() {
        return acceptedAt.isEmpty() && !superseded;
    }
}
