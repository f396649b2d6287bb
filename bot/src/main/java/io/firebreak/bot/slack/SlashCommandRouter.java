package io.firebreak.bot.slack;

import io.firebreak.storage.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the subcommand named by the first word and answers {@code help} and unknown words itself. */
public final class SlashCommandRouter {
    private static final Logger log = LoggerFactory.getLogger(SlashCommandRouter.class);

    private final String command;
    private final Map<String, Subcommand> subcommands = new LinkedHashMap<>();

    public SlashCommandRouter(String command, List<Subcommand> all) {
        this.command = command;
        for (Subcommand s : all) {
            if (subcommands.put(s.name(), s) != null) {
                throw new IllegalArgumentException("two subcommands named " + s.name());
            }
        }
    }

    /** Answers one invocation. Never throws: a failure becomes a message that says nothing was changed. */
    public Reply handle(Invocation invocation) {
        String text = invocation.text();
        int space = text.indexOf(' ');
        String word = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        String args = space < 0 ? "" : text.substring(space + 1).trim();
        if (word.isEmpty() || word.equals("help")) {
            return Reply.ephemeral(help());
        }
        Subcommand subcommand = subcommands.get(word);
        if (subcommand == null) {
            return Reply.ephemeral(
                    ":warning: `" + SlackText.escape(word) + "` is not a " + command + " subcommand.\n" + help());
        }
        try {
            return subcommand.handler().handle(invocation, args);
        } catch (RuntimeException e) {
            if (Database.isBusy(e)) {
                // The database answers; this request found no free connection (or lock) in time, and wrote nothing.
                log.warn(
                        "busy ({}); answered that nothing was changed",
                        e.getClass().getSimpleName());
                return Reply.ephemeral(new BusyAnswers(command).busy(word.equals("open")));
            }
            return failure(e);
        }
    }

    /** The grammar, one line per subcommand. */
    public String help() {
        StringBuilder out = new StringBuilder("*Firebreak* runs the incident playbook for AI agents. Commands:\n");
        out.append("• `").append(command).append(" help`: this help\n");
        for (Subcommand s : subcommands.values()) {
            out.append("• `")
                    .append(command)
                    .append(' ')
                    .append(s.usage())
                    .append("`: ")
                    .append(s.summary())
                    .append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static Reply failure(RuntimeException e) {
        if (Database.outcomeUnknown(e)) {
            log.error(
                    "storage stopped answering during a commit ({}); answered that the change may or may not be saved",
                    e.getClass().getSimpleName());
            return Reply.ephemeral(
                    ":warning: Storage stopped answering while saving this, so it may or may not have been saved: "
                            + "check with `show` before trying again.");
        }
        if (Database.isUnavailable(e)) {
            log.error(
                    "storage is unavailable ({}); answered that nothing was changed",
                    e.getClass().getSimpleName());
            return Reply.ephemeral(":x: Storage is unavailable, nothing was changed. Try again in a moment.");
        }
        String errorId = UUID.randomUUID().toString().substring(0, 8);
        log.error("command failed (error id {})", errorId, e);
        return Reply.ephemeral(":x: Something went wrong and nothing was changed (error id " + errorId + ").");
    }
}
