package io.firebreak.bot.containment;

import java.util.List;

/**
 * The action catalog cannot be used; each problem names the file, the action or target, and the field. The bot
 * refuses to start rather than run half a catalog.
 */
public final class CatalogException extends RuntimeException {
    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super("the containment action catalog is invalid:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
