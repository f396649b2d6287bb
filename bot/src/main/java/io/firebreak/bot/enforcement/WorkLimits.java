package io.firebreak.bot.enforcement;

import io.firebreak.storage.Storage;
import io.firebreak.storage.limit.WorkWindowDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * How many changes one Slack user, and one workspace, may start per minute. Counted in fixed one-minute windows in
 * the database, so every replica shares the count; a refused request is not counted.
 */
public final class WorkLimits {
    /** Whose limit was reached. */
    public enum Scope {
        USER,
        WORKSPACE
    }

    /**
     * A request over a limit.
     *
     * @param started changes already started in this window (the limit)
     * @param waitFor until the window ends and changes are accepted again
     */
    public record Reached(Scope scope, int started, Duration waitFor) {}

    private final Storage storage;
    private final Clock clock;
    private final int perUser;
    private final int perWorkspace;

    public WorkLimits(Storage storage, Clock clock, int perUser, int perWorkspace) {
        this.storage = storage;
        this.clock = clock;
        this.perUser = perUser;
        this.perWorkspace = perWorkspace;
    }

    /** Counts one change by {@code userId} of {@code teamId}; empty when allowed, what was reached otherwise. */
    public Optional<Reached> take(String userId, Optional<String> teamId) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        Duration wait = Duration.between(now, window.plus(Duration.ofMinutes(1)));
        try {
            storage.inTransaction(tx -> {
                WorkWindowDao windows = tx.attach(WorkWindowDao.class);
                count(windows, "user:" + userId, window, perUser, Scope.USER, wait);
                if (teamId.isPresent()) {
                    count(windows, "team:" + teamId.get(), window, perWorkspace, Scope.WORKSPACE, wait);
                }
                return null;
            });
            return Optional.empty();
        } catch (Refused refused) {
            return Optional.of(refused.reached);
        }
    }

    private static void count(
            WorkWindowDao windows, String subject, Instant window, int limit, Scope scope, Duration wait) {
        Optional<Integer> taken = windows.take(subject, window, limit);
        if (taken.isEmpty()) {
            // Rolls the transaction back: the user's count is not taken when the workspace's limit refuses.
            throw new Refused(new Reached(scope, limit, wait));
        }
        if (taken.get() == 1) {
            windows.forgetBefore(subject, window);
        }
    }

    /** Ends the counting transaction without committing it. */
    private static final class Refused extends RuntimeException {
        private final transient Reached reached;

        Refused(Reached reached) {
            super(null, null, false, false);
            this.reached = reached;
        }
    }
}
