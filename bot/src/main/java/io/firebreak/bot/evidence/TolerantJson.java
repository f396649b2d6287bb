package io.firebreak.bot.evidence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.evidence.ParseStatus;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Reads a response body as JSON without ever failing: complete documents are {@link ParseStatus#PARSED}; a body
 * cut at the size limit is read up to the cut, its open objects and arrays closed ({@link ParseStatus#PARTIAL});
 * anything else is {@link ParseStatus#UNPARSABLE} and yields nothing. Several top-level values one after the
 * other (newline-delimited JSON) are all read.
 */
public final class TolerantJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TolerantJson() {}

    /**
     * What was read from one body.
     *
     * @param problem why it is not (completely) parsed, in words
     */
    public record Result(ParseStatus status, List<JsonNode> roots, Optional<String> problem) {}

    /** Reads {@code body}; {@code truncated} says it was cut at the size limit, so an early end is expected. */
    public static Result read(byte[] body, boolean truncated) {
        if (body.length == 0) {
            return new Result(ParseStatus.UNPARSABLE, List.of(), Optional.of("the response was empty"));
        }
        List<JsonNode> roots = new ArrayList<>();
        Builder builder = new Builder();
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                builder.token(token, parser).ifPresent(roots::add);
            }
            return new Result(ParseStatus.PARSED, roots, Optional.empty());
        } catch (IOException e) {
            if (truncated) {
                builder.closeOpen().ifPresent(roots::add);
                return roots.isEmpty()
                        ? new Result(
                                ParseStatus.UNPARSABLE,
                                List.of(),
                                Optional.of("the response was cut at the size limit before any JSON value"))
                        : new Result(
                                ParseStatus.PARTIAL,
                                roots,
                                Optional.of("the response was cut at the size limit; read up to the cut"));
            }
            return new Result(
                    ParseStatus.UNPARSABLE,
                    List.of(),
                    Optional.of("the response is not valid JSON ("
                            + e.getClass().getSimpleName().replace("Exception", "") + " at byte " + offset(e) + ")"));
        }
    }

    private static long offset(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
            return jpe.getLocation().getByteOffset();
        }
        return -1;
    }

    /** Builds trees from tokens with an explicit stack, so deep nesting cannot overflow the thread's stack. */
    private static final class Builder {
        private final Deque<JsonNode> open = new ArrayDeque<>();
        private final Deque<String> names = new ArrayDeque<>();
        private String pendingName;

        /** Consumes one token; returns a root value when one is complete. */
        Optional<JsonNode> token(JsonToken token, JsonParser parser) throws IOException {
            switch (token) {
                case FIELD_NAME -> {
                    pendingName = parser.currentName();
                    return Optional.empty();
                }
                case START_OBJECT, START_ARRAY -> {
                    JsonNode container = token == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                    names.push(pendingName == null ? "" : pendingName);
                    pendingName = null;
                    open.push(container);
                    return Optional.empty();
                }
                case END_OBJECT, END_ARRAY -> {
                    JsonNode done = open.pop();
                    pendingName = names.pop();
                    return add(done);
                }
                default -> {
                    return add(scalar(token, parser));
                }
            }
        }

        /** Closes every open container, dropping a field name that never got its value. */
        Optional<JsonNode> closeOpen() {
            pendingName = null;
            Optional<JsonNode> root = Optional.empty();
            while (!open.isEmpty()) {
                JsonNode done = open.pop();
                pendingName = names.pop();
                root = add(done);
            }
            return root;
        }

        private Optional<JsonNode> add(JsonNode value) {
            if (open.isEmpty()) {
                pendingName = null;
                return Optional.of(value);
            }
            JsonNode parent = open.peek();
            if (parent instanceof ObjectNode object) {
                object.set(pendingName == null ? "" : pendingName, value);
            } else {
                ((ArrayNode) parent).add(value);
            }
            pendingName = null;
            return Optional.empty();
        }

        private static JsonNode scalar(JsonToken token, JsonParser parser) throws IOException {
            return switch (token) {
                case VALUE_STRING -> NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT ->
                    switch (parser.getNumberType()) {
                        case INT -> NODES.numberNode(parser.getIntValue());
                        case LONG -> NODES.numberNode(parser.getLongValue());
                        default -> NODES.numberNode(parser.getBigIntegerValue());
                    };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                default -> NODES.textNode(parser.getText());
            };
        }
    }
}
