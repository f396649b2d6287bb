package io.firebreak.storage;

import java.time.Duration;

/**
 * The time one request may still spend on the database, and whether its work has written anything yet. While a budget
 * is {@linkplain Budgets#within current}, a connection is waited for at most until its deadline; once it has
 * {@linkplain #expire() expired}, its work gets no connection and may write nothing more, so "nothing was written" stays
 * true after it was said.
 */
public final class Budget {
    private final long deadlineNanos;
    private final boolean rehearsal;
    private boolean wrote;
    private boolean expired;

    private Budget(long deadlineNanos, boolean rehearsal) {
        this.deadlineNanos = deadlineNanos;
        this.rehearsal = rehearsal;
    }

    /** A budget of {@code length} from {@code startNanos} ({@link System#nanoTime()}). */
    public static Budget of(long startNanos, Duration length) {
        return new Budget(startNanos + length.toNanos(), false);
    }

    /** As {@link #of}, for a rehearsal when {@code rehearsal} (see {@link Storage#rehearse}). */
    public static Budget of(long startNanos, Duration length, boolean rehearsal) {
        return new Budget(startNanos + length.toNanos(), rehearsal);
    }

    /** True for the work of a rehearsal: its transactions write to throwaway tables and are rolled back. */
    public boolean rehearsal() {
        return rehearsal;
    }

    /** What is left of it; zero or negative once the deadline has passed. */
    public Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    /**
     * Called before a statement that may write: refused (busy) once the budget has expired with nothing written. Work
     * that had begun writing is let finish: its person was told it may have been saved, and finishing is more useful
     * than rolling back.
     */
    synchronized void writing() throws StorageBusyException {
        if (expired && !wrote) {
            throw new StorageBusyException("the request's time ran out before it wrote anything");
        }
        wrote = true;
    }

    /**
     * Ends the budget: from now on its work gets no connection and writes nothing. Returns true when it may already have
     * written (a statement that writes ran, committed or not), false when nothing was written and nothing will be.
     */
    public synchronized boolean expire() {
        expired = true;
        return wrote;
    }

    synchronized boolean expired() {
        return expired;
    }

    /** True when a statement that writes has run under this budget. */
    public synchronized boolean wrote() {
        return wrote;
    }
}
