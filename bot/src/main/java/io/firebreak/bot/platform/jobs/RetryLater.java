package io.firebreak.bot.platform.jobs;

import java.time.Instant;

/** Thrown by a job handler to run the job again at {@code at}, e.g. after a 503 or a 429's Retry-After. */
public final class RetryLater extends RuntimeException {
    private final Instant at;

    public RetryLater(Instant at, String reason) {
        super(reason, null, false, false);
        this.at = at;
    }

    public Instant at() {
        return at;
    }
}
