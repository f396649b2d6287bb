package io.firebreak.bot.slack;

import io.firebreak.storage.Database;
import java.util.Optional;

/**
 * What a person is told when their request could not be served in time, in one place for every Slack request: the
 * truth about what was stored, never that storage is down while it answers.
 */
public final class BusyAnswers {
    private final String command;

    /** {@code command}: the slash command, named in the answers ({@code /incident}). */
    public BusyAnswers(String command) {
        this.command = command;
    }

    /** Nothing was written: it is safe to try again. {@code opening}: the request was opening an incident. */
    public String busy(boolean opening) {
        return ":hourglass_flowing_sand: Firebreak is busy: "
                + (opening ? "your incident was not opened" : "nothing was changed") + ". Try again in a moment.";
    }

    /** The outcome is not known: the change may have been saved. */
    public String maybeSaved(boolean opening) {
        return opening
                ? ":warning: Firebreak could not finish in time: your incident may have been saved. Check `" + command
                        + " list` before opening it again."
                : ":warning: Firebreak could not finish in time: this change may have been saved. Check with `"
                        + command + " show` before trying again.";
    }

    /**
     * The answer to a request that failed with {@code e}, when the failure is about time or the database rather than a
     * bug: busy (nothing written, unless {@code wrote}), may have been saved, or storage unavailable. Empty otherwise.
     */
    public Optional<String> forFailure(Throwable e, boolean opening, boolean wrote) {
        if (Database.outcomeUnknown(e)) {
            return Optional.of(
                    ":warning: Storage stopped answering while saving this, so it may or may not have been saved: "
                            + "check with `show` before trying again.");
        }
        if (Database.isBusy(e)) {
            return Optional.of(wrote ? maybeSaved(opening) : busy(opening));
        }
        if (Database.isUnavailable(e)) {
            return Optional.of(":x: Storage is unavailable, nothing was changed. Try again in a moment.");
        }
        return Optional.empty();
    }
}
