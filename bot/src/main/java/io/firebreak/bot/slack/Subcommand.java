package io.firebreak.bot.slack;

/**
 * One word after the slash command ({@code open}, {@code list}, …): its usage line for help, and its handler.
 *
 * @param name    the word, lower case
 * @param usage   e.g. {@code open [low|medium|high|critical] <title>}
 * @param summary what it does, a few words
 */
public record Subcommand(String name, String usage, String summary, Handler handler) {

    /** Answers one invocation; {@code args} is the text after the subcommand's name. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Invocation invocation, String args);
    }
}
