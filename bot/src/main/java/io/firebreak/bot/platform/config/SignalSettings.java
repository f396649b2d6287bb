package io.firebreak.bot.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts posted to {@code /signals/{source}} and the rules that act on signals and reports.
 *
 * @param sourcesFile    {@code FIREBREAK_SIGNALS}: the sources file; empty means {@link #DEFAULT_SOURCES_FILE} if it exists
 * @param rulesFile      {@code FIREBREAK_RULES}: the rules file; empty means {@link #DEFAULT_RULES_FILE} if it exists
 * @param groupWindow    {@code FIREBREAK_SIGNAL_GROUP_WINDOW}: how recent a signal about the same workflow must be for
 *                       a new alert to join it
 * @param digestInterval {@code FIREBREAK_SIGNAL_DIGEST_INTERVAL}: at most one timeline entry and one Slack message per
 *                       signal per interval after its first alert
 * @param environment    the environment, for {@code ${NAME}} in the sources file (tokens and HMAC secrets)
 */
public record SignalSettings(
        Optional<Path> sourcesFile,
        Optional<Path> rulesFile,
        Duration groupWindow,
        Duration digestInterval,
        Map<String, String> environment) {
    public static final Path DEFAULT_SOURCES_FILE = Path.of("manifests/signals.yml");
    public static final Path DEFAULT_RULES_FILE = Path.of("manifests/rules.yml");

    public SignalSettings {
        environment = Map.copyOf(environment);
    }

    @Override
    public String toString() {
        // The environment holds secrets: never print it.
        return "SignalSettings[sourcesFile=" + sourcesFile + ", rulesFile=" + rulesFile + ", groupWindow=" + groupWindow
                + ", digestInterval=" + digestInterval + "]";
    }
}
