package io.firebreak.storage;

import java.util.Optional;
import java.util.function.Supplier;

/** Which {@link Budget} the calling thread's database work runs under, if any (durable jobs run under none). */
public final class Budgets {
    private final ThreadLocal<Budget> current = new ThreadLocal<>();

    /** Runs {@code work} on this thread under {@code budget}. */
    public <T> T within(Budget budget, Supplier<T> work) {
        Budget outer = current.get();
        current.set(budget);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    /**
     * Call before a write sent on a connection directly rather than through Jdbi's statements (which check by
     * themselves): refused when the budget of this thread's request has run out with nothing written, so that "nothing
     * was changed", once said, stays true.
     */
    public void writing() throws StorageBusyException {
        Budget budget = current.get();
        if (budget != null) {
            budget.writing();
        }
    }

    /** The budget of the work running on this thread. */
    public Optional<Budget> current() {
        return Optional.ofNullable(current.get());
    }
}
