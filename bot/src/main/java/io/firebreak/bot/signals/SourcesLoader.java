package io.firebreak.bot.signals;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.config.ManifestException;
import io.firebreak.bot.platform.config.ManifestReader;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.config.SignalSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the signal sources file ({@code FIREBREAK_SIGNALS}, else {@code manifests/signals.yml} when it exists) and
 * validates all of it. Secrets ({@code ${NAME}}) come from the environment; a source whose variable is unset answers 401
 * naming it, as a containment target does, rather than stopping the bot.
 */
public final class SourcesLoader {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern CHANNEL = Pattern.compile("[CG][A-Z0-9]{2,}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    /** A storm of 10,000 alerts in a minute must get through; more is a misbehaving sender. */
    static final int DEFAULT_RATE = 20_000;

    private final ManifestReader reader;
    private final Map<String, String> env;

    private SourcesLoader(String source, Map<String, String> env) {
        this.reader = new ManifestReader("signal sources", source);
        this.env = env;
    }

    /** The configured sources, or none when no file is configured and the default one does not exist. */
    public static Map<String, SignalSource> load(SignalSettings settings) {
        Path file = settings.sourcesFile().orElse(SignalSettings.DEFAULT_SOURCES_FILE);
        if (!Files.isRegularFile(file)) {
            if (settings.sourcesFile().isPresent()) {
                throw new ManifestException(
                        "signal sources", List.of(file + ": no such file (FIREBREAK_SIGNALS names it)"));
            }
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), settings.environment());
        } catch (IOException e) {
            throw new ManifestException(
                    "signal sources",
                    List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** Parses and validates {@code text}; {@code source} names it in problems. */
    public static Map<String, SignalSource> parse(String text, String source, Map<String, String> env) {
        return new SourcesLoader(source, env).parse(text);
    }

    private Map<String, SignalSource> parse(String text) {
        Map<String, SignalSource> sources = new LinkedHashMap<>();
        reader.parse(text).ifPresent(root -> {
            ManifestReader.Fields top = reader.fields(root, "", "", Set.of("sources"));
            top.required("sources").ifPresent(nodes -> {
                if (!nodes.isObject()) {
                    reader.problem("", "sources", "must be a mapping of source name to source");
                    return;
                }
                nodes.fields()
                        .forEachRemaining(
                                e -> source(e.getKey(), e.getValue()).ifPresent(s -> sources.put(s.name(), s)));
            });
        });
        reader.finish();
        return sources;
    }

    private Optional<SignalSource> source(String name, JsonNode node) {
        String where = "source \"" + name + "\"";
        int before = reader.problemCount();
        if (!NAME.matcher(name).matches()) {
            reader.problem(
                    where, "", "a source name is 1 to 64 lower-case letters, digits or dashes, starting with a letter");
        }
        ManifestReader.Fields f = reader.fields(
                node,
                where,
                "",
                Set.of("kind", "auth", "workflow_label", "run_label", "rate_per_minute", "channel", "mapping", "team"));
        if (!f.isMapping()) {
            return Optional.empty();
        }
        Optional<SourceKind> kind = f.text("kind", true).flatMap(k -> {
            Optional<SourceKind> parsed = SourceKind.parse(k);
            if (parsed.isEmpty()) {
                reader.problem(where, "kind", "must be alertmanager, grafana, datadog or generic");
            }
            return parsed;
        });
        List<String> missing = new ArrayList<>();
        Optional<SourceAuth> auth = f.required("auth").flatMap(a -> auth(a, where, missing));
        Optional<String> channel = f.text("channel", false);
        if (channel.filter(c -> !CHANNEL.matcher(c).matches()).isPresent()) {
            reader.problem(where, "channel", "must be a Slack channel ID such as C0123456789 (not a #name)");
        }
        // The workspace its incidents belong to (issue 19); none: the single workspace.
        Optional<String> team = f.text("team", false);
        if (team.filter(t -> !t.matches("T[A-Z0-9]{2,}")).isPresent()) {
            reader.problem(where, "team", "must be a Slack team ID such as T0123456789");
        }
        Optional<GenericMapping> mapping = f.optional("mapping").flatMap(m -> mapping(m, where));
        if (kind.filter(k -> k == SourceKind.GENERIC).isPresent()
                && f.optional("mapping").isEmpty()) {
            reader.problem(
                    where, "mapping", "is required for a generic source: say where title, fingerprint, status… are");
        }
        if (kind.filter(k -> k != SourceKind.GENERIC).isPresent()
                && f.optional("mapping").isPresent()) {
            reader.problem(
                    where,
                    "mapping",
                    "is only for kind: generic; " + kind.get().id() + " payloads are read as documented");
        }
        int rate = f.wholeNumber("rate_per_minute", 1, 1_000_000).orElse(DEFAULT_RATE);
        if (kind.isEmpty() || reader.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new SignalSource(
                name,
                kind.get(),
                missing.isEmpty() ? auth : Optional.empty(),
                missing,
                f.text("workflow_label", false).orElse("workflow"),
                f.text("run_label", false).orElse("run_id"),
                rate,
                channel,
                mapping,
                team));
    }

    private Optional<SourceAuth> auth(JsonNode node, String where, List<String> missing) {
        ManifestReader.Fields f = reader.fields(node, where, "auth", Set.of("bearer", "hmac"));
        if (!f.isMapping()) {
            return Optional.empty();
        }
        if (f.optional("bearer").isPresent() == f.optional("hmac").isPresent()) {
            reader.problem(where, "auth", "must have exactly one of bearer or hmac");
            return Optional.empty();
        }
        if (f.optional("bearer").isPresent()) {
            return f.text("bearer", true)
                    .flatMap(raw -> secret(raw, where, "auth.bearer", missing))
                    .map(SourceAuth.Bearer::new);
        }
        ManifestReader.Fields h = reader.fields(
                f.optional("hmac").get(), where, "auth.hmac", Set.of("secret", "header", "timestamp_header"));
        Optional<Secret> secret =
                h.text("secret", true).flatMap(raw -> secret(raw, where, "auth.hmac.secret", missing));
        String header = h.text("header", false).orElse("X-Signature");
        Optional<String> timestampHeader = h.text("timestamp_header", false);
        for (String name : timestampHeader.map(t -> List.of(header, t)).orElse(List.of(header))) {
            if (!HEADER.matcher(name).matches()) {
                reader.problem(where, "auth.hmac", name + " is not a valid header name");
            }
        }
        return secret.map(s -> new SourceAuth.Hmac(s, header, timestampHeader));
    }

    /** A secret from the file: it must come from the environment, and be long enough to be one. */
    private Optional<Secret> secret(String raw, String where, String field, List<String> missing) {
        if (!raw.contains("${")) {
            reader.problem(
                    where,
                    field,
                    "must name an environment variable, such as \"${FIREBREAK_ALERTMANAGER_TOKEN}\": "
                            + "no secret belongs in the file");
            return Optional.empty();
        }
        List<String> unset = new ArrayList<>();
        String value = ManifestReader.resolve(raw, env, unset);
        if (!unset.isEmpty()) {
            missing.addAll(unset);
            return Optional.empty();
        }
        if (value.length() < 16) {
            reader.problem(where, field, "the variable it names must hold at least 16 characters");
            return Optional.empty();
        }
        return Optional.of(new Secret(value));
    }

    private Optional<GenericMapping> mapping(JsonNode node, String where) {
        ManifestReader.Fields f = reader.fields(
                node,
                where,
                "mapping",
                Set.of(
                        "alerts",
                        "title",
                        "fingerprint",
                        "status",
                        "resolved_values",
                        "severity",
                        "workflow",
                        "run_id",
                        "labels"));
        if (!f.isMapping()) {
            return Optional.empty();
        }
        Optional<JsonPointer> title = pointer(f, where, "title", true);
        GenericMapping mapping = new GenericMapping(
                pointer(f, where, "alerts", false),
                title.orElse(JsonPointer.empty()),
                pointer(f, where, "fingerprint", false),
                pointer(f, where, "status", false),
                f.texts("resolved_values").orElse(List.of("resolved", "ok", "recovered", "closed")).stream()
                        .map(v -> v.toLowerCase(java.util.Locale.ROOT))
                        .toList(),
                pointer(f, where, "severity", false),
                pointer(f, where, "workflow", false),
                pointer(f, where, "run_id", false),
                pointer(f, where, "labels", false));
        return title.map(t -> mapping);
    }

    private Optional<JsonPointer> pointer(ManifestReader.Fields f, String where, String name, boolean required) {
        return f.text(name, required).flatMap(text -> {
            try {
                if (!text.startsWith("/")) {
                    throw new IllegalArgumentException();
                }
                return Optional.of(JsonPointer.compile(text));
            } catch (IllegalArgumentException e) {
                reader.problem(where, "mapping." + name, "must be a JSON Pointer such as /alert/title (RFC 6901)");
                return Optional.empty();
            }
        });
    }
}
