package io.firebreak.bot.platform.config;

import java.util.List;

/** The environment has problems; each names the variable and what is wrong, never its value. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
