package io.firebreak.bot.platform.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to try an outbound call again: only for retryable failures, at most {@code maxAttempts} attempts in
 * all, with exponential backoff from {@code baseDelay} capped at {@code maxDelay}, and never sooner than the
 * server's {@code Retry-After} (itself capped at {@code maxRetryAfter}).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** 5 attempts, 1 s doubling to 30 s, Retry-After honoured up to 5 minutes. */
    public static RetryPolicy standard() {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    /**
     * When to make the next attempt after {@code attempts} attempts ended with {@code last}, or empty to give up.
     */
    public Optional<Instant> next(int attempts, Exchange last, Instant now) {
        if (!last.failure().retryable() || attempts >= maxAttempts) {
            return Optional.empty();
        }
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration backoff = baseDelay.multipliedBy(factor);
        if (backoff.compareTo(maxDelay) > 0) {
            backoff = maxDelay;
        }
        Duration wait = last.retryAfter()
                .map(ra -> ra.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : ra)
                .filter(ra -> ra.compareTo(Duration.ZERO) > 0)
                .orElse(backoff);
        return Optional.of(now.plus(wait));
    }
}
