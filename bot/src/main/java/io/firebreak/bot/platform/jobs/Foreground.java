package io.firebreak.bot.platform.jobs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How busy this replica is answering people, so that work which can wait gives way to it. Slack requests are counted
 * while they are answered ({@link #enter()}); the replica is <b>busy</b> from the moment a request arrives with
 * {@code busyAt} or more in flight (it included) until {@link #HOLD} after the last such arrival. A burst of commands
 * then keeps its CPU for its acks, while the card updates and notices it enqueued wait ({@link #yieldTo}), at most
 * {@code maxDefer} each, so none waits for ever; at an ordinary rate requests seldom overlap and nothing waits.
 */
public final class Foreground {
    /** How long the replica stays busy after the last arrival that found it crowded. */
    static final Duration HOLD = Duration.ofMillis(20);
    /** Requests in flight, the arriving one included, that make the replica busy. */
    public static final int BUSY_AT = 4;
    /** The longest one deferrable job waits for a busy replica before it runs anyway. */
    public static final Duration MAX_DEFER = Duration.ofSeconds(1);

    private static final long CHECK_EVERY_NANOS = Duration.ofMillis(5).toNanos();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastCrowded = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong deferredNanos = new AtomicLong();
    private final int busyAt;
    private final long holdNanos;
    private final Duration maxDefer;
    private final LongSupplier nanoTime;

    /** Busy at {@link #BUSY_AT} requests in flight; a deferrable job waits at most {@link #MAX_DEFER}. */
    public Foreground() {
        this(BUSY_AT, HOLD, MAX_DEFER, System::nanoTime);
    }

    Foreground(int busyAt, Duration hold, Duration maxDefer, LongSupplier nanoTime) {
        if (busyAt < 1) {
            throw new IllegalArgumentException("busyAt must be at least 1");
        }
        this.busyAt = busyAt;
        this.holdNanos = hold.toNanos();
        this.maxDefer = maxDefer;
        this.nanoTime = nanoTime;
    }

    /** A request being answered; close it when the answer is sent. */
    public Scope enter() {
        if (inFlight.incrementAndGet() >= busyAt) {
            lastCrowded.set(nanoTime.getAsLong());
        }
        return inFlight::decrementAndGet;
    }

    /** True while requests are crowding in, and for a short hold ({@link #HOLD}) after. */
    public boolean busy() {
        long last = lastCrowded.get();
        return last != Long.MIN_VALUE && nanoTime.getAsLong() - last < holdNanos;
    }

    /** Waits while the replica is busy, at most {@code maxDefer}; returns how long it waited. */
    public Duration yieldTo() {
        long start = nanoTime.getAsLong();
        long deadline = start + maxDefer.toNanos();
        while (busy()
                && nanoTime.getAsLong() < deadline
                && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(CHECK_EVERY_NANOS);
        }
        long waited = nanoTime.getAsLong() - start;
        deferredNanos.addAndGet(waited);
        return Duration.ofNanos(waited);
    }

    /** Time jobs have spent giving way to requests, in all. */
    public Duration deferred() {
        return Duration.ofNanos(deferredNanos.get());
    }

    /** One request in flight. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
