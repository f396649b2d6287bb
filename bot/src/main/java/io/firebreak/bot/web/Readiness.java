package io.firebreak.bot.web;

import java.util.Optional;

/**
 * Whether this replica is ready to serve: until the database is reachable and migrated, {@code /healthz} answers
 * 503 with {@link #waitingFor()} and every other endpoint but {@code /metrics} answers 503 "starting".
 */
public final class Readiness {
    private volatile Optional<String> waitingFor;

    private Readiness(Optional<String> waitingFor) {
        this.waitingFor = waitingFor;
    }

    /** Not ready yet, because of {@code reason}. */
    public static Readiness waiting(String reason) {
        return new Readiness(Optional.of(reason));
    }

    /** Still not ready; {@code reason} says why, for {@code /healthz}. */
    public void stillWaiting(String reason) {
        waitingFor = Optional.of(reason);
    }

    public void markReady() {
        waitingFor = Optional.empty();
    }

    public boolean isReady() {
        return waitingFor.isEmpty();
    }

    /** Why this replica is not ready; empty when it is. */
    public Optional<String> waitingFor() {
        return waitingFor;
    }
}
