package io.firebreak.bot.enforcement;

import io.firebreak.storage.Storage;
import io.firebreak.storage.limit.WorkWindows;
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

    /**
     * Counts one change by {@code userId} of {@code teamId}; empty when allowed, what was reached otherwise. Both counts
     * are taken in one statement committed on its own: every request of a workspace counts in the same row, and a
     * transaction holding it until its commit made the requests of a busy workspace wait for one another. When the
     * workspace's limit refuses, the user's count just taken is given back: until then, for a moment, the user has one
     * more, which can only refuse a request the workspace's limit refuses anyway.
     */
    public Optional<Reached> take(String userId, Optional<String> teamId) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        Duration wait = Duration.between(now, window.plus(Duration.ofMinutes(1)));
        String user = "user:" + userId;
        WorkWindows.Taken taken = storage.inStatement(tx -> WorkWindows.takeBoth(
                tx, user, perUser, teamId.map(t -> "team:" + t).orElse(null), perWorkspace, window));
        if (taken.first() == 0) {
            return Optional.of(new Reached(Scope.USER, perUser, wait));
        }
        if (teamId.isPresent() && taken.second() == 0) {
            storage.inStatement(tx -> {
                WorkWindows.giveBack(tx, user, window);
                return null;
            });
            return Optional.of(new Reached(Scope.WORKSPACE, perWorkspace, wait));
        }
        return Optional.empty();
    }
}
