package io.firebreak.bot.platform.config;

import java.util.List;

/**
 * A configuration file (signal sources, rules) cannot be used; each problem names the file, the entry and the field.
 * The bot refuses to start rather than run half of it.
 */
public final class ManifestException extends RuntimeException {
    private final String what;
    private final List<String> problems;

    /** @param what names the file's kind in the log, e.g. {@code rules}. */
    public ManifestException(String what, List<String> problems) {
        super("the " + what + " file is invalid:\n  " + String.join("\n  ", problems));
        this.what = what;
        this.problems = List.copyOf(problems);
    }

    public String what() {
        return what;
    }

    public List<String> problems() {
        return problems;
    }
}
