package io.firebreak.bot.platform.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML configuration file the way the containment catalog is read: every problem is collected, each naming
 * the file, the entry and the field; unknown fields are refused; {@code ${NAME}} takes a value from the environment.
 * {@link #finish} throws them all at once.
 */
public final class ManifestReader {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final String what;
    private final String source;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param what   the file's kind, for the exception ({@code rules}, {@code signal sources})
     * @param source the file's name as shown in every problem
     */
    public ManifestReader(String what, String source) {
        this.what = what;
        this.source = source;
    }

    public String source() {
        return source;
    }

    /** The YAML document, or empty after recording why it cannot be read. */
    public Optional<JsonNode> parse(String text) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return Optional.ofNullable(yaml.readTree(text)).filter(n -> !n.isMissingNode() && !n.isNull());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(source + ": not valid YAML"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** Records a problem with {@code field} of {@code where} (either may be empty). */
    public void problem(String where, String field, String problem) {
        StringBuilder line = new StringBuilder(source).append(": ");
        if (!where.isEmpty()) {
            line.append(where).append(": ");
        }
        if (!field.isEmpty()) {
            line.append(field).append(": ");
        }
        problems.add(line.append(problem).toString());
    }

    /** How many problems were recorded so far. */
    public int problemCount() {
        return problems.size();
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** Throws every problem recorded, if any. */
    public void finish() {
        if (!problems.isEmpty()) {
            throw new ManifestException(what, problems);
        }
    }

    /** The fields of a mapping, unknown ones recorded as problems. */
    public Fields fields(JsonNode node, String where, String path, Set<String> allowed) {
        return new Fields(node, where, path, allowed);
    }

    /** {@code raw} with {@code ${NAME}} and {@code ${NAME:-default}} replaced; the unset names are listed in missing. */
    public static String resolve(String raw, Map<String, String> env, List<String> missing) {
        Matcher m = ENV.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isBlank()) {
                value = m.group(2);
            }
            if (value == null) {
                missing.add(m.group(1));
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The fields of one mapping in the file. */
    public final class Fields {
        private final JsonNode node;
        private final String where;
        private final String prefix;
        private final boolean mapping;

        private Fields(JsonNode node, String where, String path, Set<String> allowed) {
            this.node = node;
            this.where = where;
            this.prefix = path.isEmpty() ? "" : path + ".";
            this.mapping = node != null && node.isObject();
            if (!mapping) {
                problem(where, path, "must be a mapping (known fields: " + known(allowed) + ")");
                return;
            }
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    problem(where, prefix + name, "is not a known field (known: " + known(allowed) + ")");
                }
            }
        }

        private static String known(Set<String> allowed) {
            return String.join(", ", allowed.stream().sorted().toList());
        }

        public boolean isMapping() {
            return mapping;
        }

        public Optional<JsonNode> optional(String name) {
            return mapping ? Optional.ofNullable(node.get(name)).filter(v -> !v.isNull()) : Optional.empty();
        }

        public Optional<JsonNode> required(String name) {
            Optional<JsonNode> value = optional(name);
            if (value.isEmpty() && mapping) {
                problem(where, prefix + name, "is required");
            }
            return value;
        }

        /** A single value as text. */
        public Optional<String> text(String name, boolean required) {
            Optional<JsonNode> value = required ? required(name) : optional(name);
            if (value.isPresent() && !value.get().isValueNode()) {
                problem(
                        where,
                        prefix + name,
                        "must be a single value, not a " + (value.get().isArray() ? "list" : "mapping"));
                return Optional.empty();
            }
            return value.map(JsonNode::asText);
        }

        public Optional<Boolean> bool(String name) {
            Optional<JsonNode> value = optional(name);
            if (value.isPresent() && !value.get().isBoolean()) {
                problem(where, prefix + name, "must be true or false");
                return Optional.empty();
            }
            return value.map(JsonNode::asBoolean);
        }

        public Optional<Integer> wholeNumber(String name, int min, int max) {
            Optional<JsonNode> value = optional(name);
            if (value.isPresent()
                    && (!value.get().canConvertToInt()
                            || !value.get().isIntegralNumber()
                            || value.get().asInt() < min
                            || value.get().asInt() > max)) {
                problem(where, prefix + name, "must be a whole number from " + min + " to " + max);
                return Optional.empty();
            }
            return value.map(JsonNode::asInt);
        }

        public Optional<Duration> duration(String name, boolean required) {
            return text(name, required).flatMap(text -> {
                try {
                    Duration d = Duration.parse(text);
                    if (d.isNegative() || d.isZero()) {
                        throw new DateTimeParseException("not positive", text, 0);
                    }
                    return Optional.of(d);
                } catch (DateTimeParseException e) {
                    problem(where, prefix + name, "must be a positive ISO-8601 duration such as PT10M");
                    return Optional.empty();
                }
            });
        }

        /** A list of single values, or one value taken as a list of one. */
        public Optional<List<String>> texts(String name) {
            Optional<JsonNode> value = optional(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            if (value.get().isValueNode()) {
                out.add(value.get().asText());
            } else if (value.get().isArray()) {
                for (JsonNode item : value.get()) {
                    if (!item.isValueNode()) {
                        problem(where, prefix + name, "must be a list of single values");
                        return Optional.empty();
                    }
                    out.add(item.asText());
                }
            } else {
                problem(where, prefix + name, "must be a value or a list of values, not a mapping");
                return Optional.empty();
            }
            return Optional.of(out);
        }

        /** A mapping of names to single values. */
        public Optional<Map<String, String>> stringMap(String name) {
            Optional<JsonNode> value = optional(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            if (!value.get().isObject()) {
                problem(where, prefix + name, "must be a mapping of names to values");
                return Optional.empty();
            }
            Map<String, String> out = new java.util.LinkedHashMap<>();
            value.get().fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    problem(where, prefix + name + "." + e.getKey(), "must be a single value");
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
            return Optional.of(out);
        }
    }
}
