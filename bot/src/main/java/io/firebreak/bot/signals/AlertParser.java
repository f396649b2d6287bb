package io.firebreak.bot.signals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.text.TextLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads the alerts of one notification, by the source's kind, naming every field that is missing or mistyped. */
public final class AlertParser {
    /** Alerts one request may carry: Alertmanager's {@code max_alerts} should stay below it. */
    public static final int MAX_ALERTS = 1000;

    static final int MAX_TITLE = 300;
    static final int MAX_VALUE = 500;

    /** What is wrong with one field of the body. */
    public record Problem(String field, String problem) {}

    /** The alerts, or every problem found. */
    public record Parsed(List<Alert> alerts, List<Problem> problems) {}

    private AlertParser() {}

    /**
     * A notification as read: its JSON tree, and the text as sent of each object in its top-level {@code alerts} list,
     * which is what an alert stores (so it is not written out again from the tree).
     */
    public record Body(JsonNode tree, Map<JsonNode, String> alertTexts) {
        /** The JSON text of {@code item}: as sent when it is one of the body's alerts, written from the tree otherwise. */
        String text(JsonNode item) {
            String sent = alertTexts.get(item);
            return sent != null ? sent : item.toString();
        }
    }

    /**
     * Reads {@code bytes} once, as {@link ObjectMapper#readTree(byte[])} would, keeping the text of each object in the
     * top-level {@code alerts} list as it was sent; throws Jackson's exception for JSON that is not valid.
     */
    public static Body read(ObjectMapper mapper, byte[] bytes) throws IOException {
        Map<JsonNode, String> texts = new IdentityHashMap<>();
        try (JsonParser parser = mapper.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                // Not an object (parse says so), or nothing at all: as Jackson reads it.
                return new Body(mapper.readTree(bytes), texts);
            }
            ObjectNode tree = mapper.createObjectNode();
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && name.equals("alerts")) {
                    ArrayNode alerts = tree.putArray(name);
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        JsonNode item = mapper.readTree(parser);
                        alerts.add(item);
                        if (item != null && item.isObject()) {
                            int end = (int) parser.currentLocation().getByteOffset();
                            texts.put(item, new String(bytes, start, end - start, StandardCharsets.UTF_8));
                        }
                    }
                } else {
                    tree.set(name, mapper.readTree(parser));
                }
            }
            return new Body(tree, texts);
        }
    }

    /** The alerts of {@code body} as a tree; each alert's text is written from it. */
    public static Parsed parse(SignalSource source, JsonNode body) {
        return parse(source, new Body(body, Map.of()));
    }

    public static Parsed parse(SignalSource source, Body read) {
        List<Problem> problems = new ArrayList<>();
        JsonNode body = read.tree();
        if (body == null || !body.isObject()) {
            return new Parsed(List.of(), List.of(new Problem("(body)", "must be a JSON object")));
        }
        List<Alert> alerts = switch (source.kind()) {
            case ALERTMANAGER, GRAFANA -> alertmanager(source, read, problems);
            case DATADOG -> List.of(datadog(source, body, problems));
            case GENERIC -> generic(source, source.mapping().orElseThrow(), read, problems);
        };
        return problems.isEmpty() ? new Parsed(alerts, List.of()) : new Parsed(List.of(), problems);
    }

    private static List<Alert> alertmanager(SignalSource source, Body read, List<Problem> problems) {
        JsonNode body = read.tree();
        JsonNode items = body.get("alerts");
        if (items == null || !items.isArray()) {
            problems.add(new Problem(
                    "alerts",
                    "is required: a list of alerts (the " + source.kind().id() + " webhook payload)"));
            return List.of();
        }
        if (items.size() > MAX_ALERTS) {
            problems.add(
                    new Problem("alerts", "has " + items.size() + " alerts; at most " + MAX_ALERTS + " a request"));
            return List.of();
        }
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "alerts[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                problems.add(new Problem(at, "must be an object"));
                continue;
            }
            Optional<Boolean> resolved = text(item, "status", at, problems).flatMap(status -> switch (status) {
                case "firing" -> Optional.of(false);
                case "resolved" -> Optional.of(true);
                default -> {
                    problems.add(new Problem(at + ".status", "must be firing or resolved"));
                    yield Optional.empty();
                }
            });
            if (!item.has("status")) {
                problems.add(new Problem(at + ".status", "is required: firing or resolved"));
            }
            Map<String, String> labels = stringObject(item.get("labels"), at + ".labels", problems, true);
            Map<String, String> annotations =
                    stringObject(item.get("annotations"), at + ".annotations", problems, false);
            if (!labels.containsKey("alertname") && item.has("labels")) {
                problems.add(new Problem(at + ".labels.alertname", "is required: it names the alert"));
            }
            if (resolved.isEmpty() || !labels.containsKey("alertname")) {
                continue;
            }
            Optional<String> fingerprint = text(item, "fingerprint", at, problems);
            String summary = Optional.ofNullable(annotations.get("summary"))
                    .or(() -> Optional.ofNullable(annotations.get("message")))
                    .map(s -> ": " + s)
                    .orElse("");
            alerts.add(new Alert(
                    fingerprint.orElseGet(() -> hash(labels)),
                    resolved.get(),
                    TextLimits.cut(labels.get("alertname") + summary, MAX_TITLE),
                    Optional.ofNullable(labels.get("severity")),
                    Optional.ofNullable(labels.get(source.workflowLabel())),
                    Optional.ofNullable(labels.get(source.runLabel()))
                            .or(() -> Optional.ofNullable(annotations.get(source.runLabel()))),
                    labels,
                    read.text(item)));
        }
        return alerts;
    }

    /**
     * Datadog's default template ({@code title}, {@code body}, {@code id}, {@code event_type}, {@code date}, …) and the
     * fields a custom one commonly adds: {@code transition} ({@code $ALERT_TRANSITION}), {@code aggregate}
     * ({@code $AGGREG_KEY}), {@code alert_id}, {@code alert_priority}, {@code tags} ({@code $TAGS}).
     */
    private static Alert datadog(SignalSource source, JsonNode body, List<Problem> problems) {
        Optional<String> title = text(body, "title", "", problems);
        if (title.isEmpty()) {
            problems.add(new Problem("title", "is required: the event title ($EVENT_TITLE)"));
            return null;
        }
        Optional<String> transition = text(body, "transition", "", problems);
        boolean resolved = transition
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("recovered"))
                .orElse(title.get().startsWith("[Recovered"));
        Map<String, String> labels = new TreeMap<>();
        text(body, "tags", "", problems).ifPresent(tags -> {
            for (String tag : tags.split(",")) {
                String t = tag.strip();
                int colon = t.indexOf(':');
                if (!t.isEmpty()) {
                    labels.put(colon > 0 ? t.substring(0, colon) : t, colon > 0 ? t.substring(colon + 1) : "");
                }
            }
        });
        Optional<String> priority = text(body, "alert_priority", "", problems);
        Optional<String> fingerprint = text(body, "aggregate", "", problems)
                .or(() -> text(body, "alert_id", "", problems))
                .or(() -> text(body, "alert_cycle_key", "", problems));
        String cleanTitle = title.get().replaceFirst("^\\[[A-Za-z -]+]\\s*", "");
        return new Alert(
                fingerprint.orElseGet(() -> hash(Map.of("title", cleanTitle))),
                resolved,
                TextLimits.cut(cleanTitle, MAX_TITLE),
                priority.or(() -> Optional.ofNullable(labels.get("severity"))),
                text(body, source.workflowLabel(), "", problems)
                        .or(() -> Optional.ofNullable(labels.get(source.workflowLabel()))),
                text(body, source.runLabel(), "", problems)
                        .or(() -> Optional.ofNullable(labels.get(source.runLabel()))),
                labels,
                body.toString());
    }

    private static List<Alert> generic(SignalSource source, GenericMapping mapping, Body read, List<Problem> problems) {
        JsonNode body = read.tree();
        List<JsonNode> items = new ArrayList<>();
        String prefix = "";
        if (mapping.alerts().isPresent()) {
            JsonNode list = body.at(mapping.alerts().get());
            if (!list.isArray()) {
                problems.add(
                        new Problem(mapping.alerts().get().toString(), "must be a list of alerts (mapping.alerts)"));
                return List.of();
            }
            if (list.size() > MAX_ALERTS) {
                problems.add(new Problem(
                        mapping.alerts().get().toString(), "has " + list.size() + " alerts; at most " + MAX_ALERTS));
                return List.of();
            }
            list.forEach(items::add);
            prefix = mapping.alerts().get().toString();
        } else {
            items.add(body);
        }
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = mapping.alerts().isPresent() ? prefix + "/" + i : "";
            Optional<String> title = pointed(item, mapping.title(), at, problems);
            if (title.isEmpty()) {
                problems.add(new Problem(at + mapping.title(), "is required: the alert's title (mapping.title)"));
                continue;
            }
            Map<String, String> labels = mapping.labels()
                    .map(p -> labels(item.at(p), at + p, problems))
                    .orElse(Map.of());
            boolean resolved = mapping.status()
                    .flatMap(p -> pointed(item, p, at, problems))
                    .map(s -> mapping.resolvedValues().contains(s.toLowerCase(Locale.ROOT)))
                    .orElse(false);
            Optional<String> fingerprint = mapping.fingerprint().flatMap(p -> pointed(item, p, at, problems));
            Map<String, String> identity = new TreeMap<>(labels);
            identity.put("title", title.get());
            alerts.add(new Alert(
                    fingerprint.orElseGet(() -> hash(identity)),
                    resolved,
                    TextLimits.cut(title.get(), MAX_TITLE),
                    mapping.severity().flatMap(p -> pointed(item, p, at, problems)),
                    mapping.workflow().flatMap(p -> pointed(item, p, at, problems)),
                    mapping.runId().flatMap(p -> pointed(item, p, at, problems)),
                    labels,
                    read.text(item)));
        }
        return alerts;
    }

    /** A value the mapping points at, as text; a number or boolean is read as text, an object or list is a problem. */
    private static Optional<String> pointed(JsonNode item, JsonPointer pointer, String at, List<Problem> problems) {
        JsonNode value = item.at(pointer);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            problems.add(new Problem(
                    at + pointer, "must be a single value, not " + (value.isArray() ? "a list" : "an object")));
            return Optional.empty();
        }
        String text = value.asText().strip();
        if (text.length() > MAX_VALUE && !pointer.toString().isEmpty()) {
            return Optional.of(TextLimits.cut(text, MAX_VALUE));
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Map<String, String> labels(JsonNode node, String at, List<Problem> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (node.isArray()) {
            Map<String, String> out = new TreeMap<>();
            for (JsonNode tag : node) {
                String t = tag.asText();
                int colon = t.indexOf(':');
                out.put(colon > 0 ? t.substring(0, colon) : t, colon > 0 ? t.substring(colon + 1) : "");
            }
            return out;
        }
        return stringObject(node, at, problems, false);
    }

    private static Optional<String> text(JsonNode node, String field, String at, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            problems.add(new Problem(at.isEmpty() ? field : at + "." + field, "must be a string"));
            return Optional.empty();
        }
        String text = value.asText().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Map<String, String> stringObject(
            JsonNode node, String at, List<Problem> problems, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(new Problem(at, "is required: an object of label names to values"));
            }
            return Map.of();
        }
        if (!node.isObject()) {
            problems.add(new Problem(at, "must be an object of names to string values"));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), TextLimits.cut(e.getValue().asText(), MAX_VALUE));
            } else {
                problems.add(new Problem(at + "." + e.getKey(), "must be a string"));
            }
        });
        return out;
    }

    /** A fingerprint for a source that gives none: the first 16 hex digits of the SHA-256 of the sorted labels. */
    static String hash(Map<String, String> labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(labels).forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
