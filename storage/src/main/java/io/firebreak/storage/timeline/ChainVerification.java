package io.firebreak.storage.timeline;

import java.util.Optional;

/**
 * The result of recomputing an incident's hash chain.
 *
 * @param events      how many events were checked
 * @param firstBroken the first event whose hash or link does not hold, if any
 */
public record ChainVerification(int events, Optional<Break> firstBroken) {

    public boolean ok() {
        return firstBroken.isEmpty();
    }

    /** Where and why the chain breaks. */
    public record Break(int seq, long eventId, String reason) {}
}
