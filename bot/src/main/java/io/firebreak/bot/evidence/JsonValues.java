package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small, forgiving readers for JSON that comes from outside: any field may be absent, null, or JSON in a string. */
final class JsonValues {
    /** Longest string kept in normalized evidence; the full value stays in the raw response. */
    static final int MAX_TEXT = 16_384;
    /** Most array elements kept in normalized evidence. */
    static final int MAX_ITEMS = 500;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {}

    /** True when the node carries something: not missing, not null, not an empty string. */
    static boolean has(JsonNode node) {
        return node != null
                && !node.isMissingNode()
                && !node.isNull()
                && !(node.isTextual() && node.asText().isEmpty());
    }

    /** The text of a scalar, empty when absent or not a scalar. */
    static Optional<String> text(JsonNode node) {
        if (!has(node) || node.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    /**
     * A value that may hold JSON encoded in a string (Langfuse exports, OTel attributes): the decoded value when
     * the string is a JSON object, array or string, else the value itself. Decodes at most twice.
     */
    static JsonNode decoded(JsonNode node) {
        JsonNode value = node == null ? MissingNode.getInstance() : node;
        for (int i = 0; i < 2 && value.isTextual(); i++) {
            String t = value.asText().strip();
            if (!(t.startsWith("{") || t.startsWith("[") || t.startsWith("\""))) {
                break;
            }
            TolerantJson.Result parsed = TolerantJson.read(t.getBytes(StandardCharsets.UTF_8), false);
            if (parsed.roots().size() != 1) {
                break;
            }
            value = parsed.roots().get(0);
        }
        return value;
    }

    /**
     * Looks up {@code key} in attribute-like maps: as one flat key ({@code "approval.decision"}) or as a path of
     * nested objects ({@code {"approval": {"decision": …}}}). Returns the first of {@code maps} that has it.
     */
    static Optional<JsonNode> attribute(List<JsonNode> maps, String key) {
        for (JsonNode map : maps) {
            if (map == null || !map.isObject()) {
                continue;
            }
            JsonNode flat = map.get(key);
            if (has(flat)) {
                return Optional.of(decoded(flat));
            }
            JsonNode nested = map;
            for (String part : key.split("\\.")) {
                nested = decoded(nested).path(part);
            }
            if (has(nested)) {
                return Optional.of(decoded(nested));
            }
        }
        return Optional.empty();
    }

    /** The first of {@code keys} found by {@link #attribute}, with the key that held it. */
    static Optional<Map.Entry<String, JsonNode>> firstAttribute(List<JsonNode> maps, String... keys) {
        for (String key : keys) {
            Optional<JsonNode> value = attribute(maps, key);
            if (value.isPresent()) {
                return Optional.of(Map.entry(key, value.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * The value with where it is, when it carries something: not absent, null or an empty string, and (unless
     * {@code keepEmpty}, for values where "nothing" is itself evidence, like a retrieval's documents) not an
     * empty object or array. JSON in a string is decoded.
     */
    static Optional<Located<JsonNode>> located(JsonNode raw, String from, boolean keepEmpty) {
        JsonNode value = decoded(raw);
        // Tracers that JSON-encode a missing value write the text "null": that is no value, not the word.
        if (value.isTextual() && value.asText().strip().equals("null")) {
            return Optional.empty();
        }
        if (!has(value) || (!keepEmpty && value.isContainerNode() && value.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new Located<>(value, from));
    }

    static Optional<Located<JsonNode>> located(JsonNode raw, String from) {
        return located(raw, from, false);
    }

    /** Epoch nanoseconds of an ISO-8601 time or of a number of nanoseconds; {@code Long.MAX_VALUE} when unknown. */
    static long epochNanos(JsonNode node) {
        if (!has(node)) {
            return Long.MAX_VALUE;
        }
        String text = node.asText().strip();
        if (text.matches("\\d{1,19}")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        try {
            return nanos(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return nanos(Instant.parse(text));
            } catch (DateTimeParseException e2) {
                return Long.MAX_VALUE;
            }
        }
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /**
     * A copy small enough for normalized evidence: strings longer than {@link #MAX_TEXT} and arrays longer than
     * {@link #MAX_ITEMS} are cut with a note saying so. The raw response keeps the full value.
     */
    static JsonNode capped(JsonNode node) {
        if (node == null) {
            return NODES.nullNode();
        }
        if (node.isTextual() && node.asText().length() > MAX_TEXT) {
            String text = node.asText();
            int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
            return NODES.textNode(text.substring(0, end) + "…[cut at " + MAX_TEXT + " of " + text.length()
                    + " characters; the raw trace has it all]");
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            int i = 0;
            for (JsonNode element : node) {
                if (i++ == MAX_ITEMS) {
                    copy.add("…[" + (node.size() - MAX_ITEMS) + " more items; the raw trace has them all]");
                    break;
                }
                copy.add(capped(element));
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), capped(field.getValue()));
            }
            return copy;
        }
        return node;
    }
}
