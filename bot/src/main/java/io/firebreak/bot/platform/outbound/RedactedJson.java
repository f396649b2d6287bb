package io.firebreak.bot.platform.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON leaving Firebreak with every string value through {@link Redactor}: for what is built from a trace (a
 * regression case's input and bad output) and sent on, so a key a trace happened to carry is not copied out of it.
 */
public final class RedactedJson {
    private RedactedJson() {}

    /** A copy of {@code node} with each string value redacted; names and structure are kept. */
    public static JsonNode of(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(Redactor.redact(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), of(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(element -> copy.add(of(element)));
            return copy;
        }
        return node;
    }
}
