package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One HTTP request of the catalog, with {@code {name}} placeholders: the path is relative to the target's base
 * URL; the body is JSON whose string values may hold placeholders.
 */
public record RequestTemplate(String method, String path, Map<String, String> headers, Optional<JsonNode> body) {

    public RequestTemplate {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Every placeholder name used, in the path, the headers and the body. */
    public Set<String> placeholders() {
        Set<String> names = new LinkedHashSet<>(Placeholders.names(path));
        headers.values().forEach(v -> names.addAll(Placeholders.names(v)));
        body.ifPresent(b -> collect(b, names));
        return names;
    }

    /**
     * The request to send to {@code target}, with placeholders filled from {@code values}: URL-encoded in the
     * path, as JSON strings in the body. {@code idempotencyKey}, when given, is sent as {@code Idempotency-Key}.
     */
    public OutboundRequest render(
            Target target, Map<String, String> values, Optional<String> idempotencyKey, ObjectMapper mapper) {
        String filledPath = Placeholders.fill(path, name -> encode(values.getOrDefault(name, "")));
        Map<String, String> all = new LinkedHashMap<>(target.headers());
        all.put("User-Agent", "Firebreak");
        Optional<String> text = body.map(b -> write(mapper, fill(b.deepCopy(), values)));
        text.ifPresent(t -> all.put("Content-Type", "application/json"));
        idempotencyKey.ifPresent(k -> all.put("Idempotency-Key", k));
        // The catalog's own headers win, e.g. LaunchDarkly's semantic-patch Content-Type.
        headers.forEach((name, value) -> {
            all.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            all.put(name, oneLine(Placeholders.fill(value, n -> values.getOrDefault(n, ""))));
        });
        return new OutboundRequest(method, URI.create(target.baseUrl() + filledPath), all, text, target.secrets());
    }

    private static JsonNode fill(JsonNode node, Map<String, String> values) {
        if (node.isTextual()) {
            return TextNode.valueOf(Placeholders.fill(node.asText(), n -> values.getOrDefault(n, "")));
        }
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(fill(field.getValue(), values));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fill(array.get(i), values));
            }
        }
        return node;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            names.addAll(Placeholders.names(node.asText()));
        }
        node.forEach(child -> collect(child, names));
    }

    private static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    /** Percent-encodes a value for a URL path or query: spaces as %20, slashes encoded. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n]+", " ");
    }
}
