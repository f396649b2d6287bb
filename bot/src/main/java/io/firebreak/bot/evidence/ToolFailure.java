package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises a tool response that says the call failed, although the step that carried it succeeded: a
 * {@code "status": "error"}, a {@code "response_status": "Error"}, an {@code error} field, {@code isError: true}
 * (MCP tool results) or a JSON-RPC error object (an MCP error result).
 */
final class ToolFailure {
    private ToolFailure() {}

    /** The failure message when the response says it failed (empty text when it says so without one). */
    static Optional<String> of(JsonNode response) {
        JsonNode decoded = JsonValues.decoded(response);
        // A JSON-RPC answer (MCP) carries the tool result under result.
        JsonNode r = decoded.isObject()
                        && decoded.path("result").isObject()
                        && !decoded.has("error")
                        && decoded.has("jsonrpc")
                ? decoded.get("result")
                : decoded;
        if (!r.isObject()) {
            return Optional.empty();
        }
        boolean failed = r.path("isError").asBoolean(false)
                || r.path("is_error").asBoolean(false)
                || isError(r.path("status"))
                || isError(r.path("response_status"))
                || JsonValues.has(r.path("error")) && !r.path("error").isBoolean()
                || r.path("error").asBoolean(false);
        if (!failed) {
            return Optional.empty();
        }
        JsonNode error = JsonValues.decoded(r.path("error"));
        Optional<String> message = error.isObject()
                ? JsonValues.text(error.path("message")).or(() -> JsonValues.text(error.path("detail")))
                : JsonValues.text(error).filter(t -> !error.isBoolean());
        return Optional.of(message.or(() -> JsonValues.text(r.path("message")))
                .or(() -> JsonValues.text(r.path("error_message")))
                .or(() -> firstText(r.path("content")))
                .or(() -> JsonValues.text(r.path("response")))
                .orElse(""));
    }

    private static boolean isError(JsonNode status) {
        String s = status.asText("").toLowerCase(Locale.ROOT);
        // Only "error": a lookup tool may well answer "status": "failed" about a payment it looked up.
        return s.equals("error");
    }

    /** MCP results carry their message as content parts: the first text part. */
    private static Optional<String> firstText(JsonNode content) {
        if (content.isArray()) {
            for (JsonNode part : content) {
                Optional<String> text = JsonValues.text(part.path("text"));
                if (text.isPresent()) {
                    return text;
                }
            }
            return Optional.empty();
        }
        return JsonValues.text(content);
    }
}
