package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tracing conventions agent teams emit, read into one shape: what kind of step a span is, and its input and
 * output. Understands OTel GenAI ({@code gen_ai.input.messages}, {@code gen_ai.operation.name}), OpenLLMetry and
 * Koog ({@code gen_ai.prompt.N.*}, {@code gen_ai.completion.N.*}, {@code llm.request.type}, {@code traceloop.*}),
 * OpenLIT ({@code gen_ai.content.prompt} / {@code gen_ai.content.completion} events), Semantic Kernel and the older
 * OTel GenAI events ({@code gen_ai.user.message}, …, {@code gen_ai.choice}), the Vercel AI SDK ({@code ai.*}) and
 * OpenInference ({@code input.value}, {@code llm.input_messages.N.message.*}, {@code tool.name}).
 */
final class SpanConventions {
    /** Where an input is looked for, as said when none is found. */
    static final String INPUTS_LOOKED_AT =
            "gen_ai.input.messages, gen_ai.prompt.N.* (OpenLLMetry, Koog), traceloop.entity.input, "
                    + "gen_ai.content.prompt events (OpenLIT), gen_ai.*.message events (Semantic Kernel), ai.prompt.messages and ai.prompt "
                    + "(Vercel AI SDK), input.value and llm.input_messages.N (OpenInference)";
    /** Where an output is looked for, as said when none is found. */
    static final String OUTPUTS_LOOKED_AT =
            "gen_ai.output.messages, gen_ai.completion.N.* (OpenLLMetry, Koog), traceloop.entity.output, "
                    + "gen_ai.content.completion events (OpenLIT), gen_ai.choice events (Semantic Kernel), ai.response.text and "
                    + "ai.response.toolCalls (Vercel AI SDK), output.value and llm.output_messages.N (OpenInference)";

    static final String[] TOOL_INPUT_KEYS = {
        "gen_ai.tool.call.arguments",
        "input.value",
        "ai.toolCall.args",
        "ai.toolCall.input",
        "traceloop.entity.input",
        "tool.parameters",
        "tool_arguments"
    };
    static final String[] TOOL_OUTPUT_KEYS = {
        "gen_ai.tool.call.result",
        "output.value",
        "ai.toolCall.result",
        "ai.toolCall.output",
        "traceloop.entity.output",
        "tool_response"
    };
    static final String[] INPUT_KEYS = {
        "gen_ai.input.messages",
        "input.value",
        "gen_ai.prompt",
        "llm.input_messages",
        "traceloop.entity.input",
        "ai.prompt.messages",
        "ai.prompt"
    };
    static final String[] OUTPUT_KEYS = {
        "gen_ai.output.messages",
        "output.value",
        "gen_ai.completion",
        "llm.output_messages",
        "traceloop.entity.output",
        "ai.response.text",
        "ai.response.object",
        "ai.response.toolCalls"
    };
    /** Semantic Kernel and the older OTel GenAI event convention: one event per message. */
    private static final Map<String, String> MESSAGE_EVENTS = Map.of(
            "gen_ai.system.message",
            "system",
            "gen_ai.user.message",
            "user",
            "gen_ai.assistant.message",
            "assistant",
            "gen_ai.tool.message",
            "tool");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SpanConventions() {}

    /** The step kind the span's markers say, by the first convention that marks it. */
    static StepKind kind(JsonNode attrs, List<Located<JsonNode>> events) {
        String operation = attrs.path("gen_ai.operation.name").asText("");
        if (!operation.isEmpty() && StepKind.ofGenAiOperation(operation) != StepKind.SPAN) {
            return StepKind.ofGenAiOperation(operation);
        }
        String openInference = attrs.path("openinference.span.kind").asText("");
        if (!openInference.isEmpty()) {
            return StepKind.of(openInference);
        }
        switch (attrs.path("traceloop.span.kind").asText("").toLowerCase(Locale.ROOT)) {
            case "workflow" -> {
                return StepKind.CHAIN;
            }
            case "agent" -> {
                return StepKind.AGENT;
            }
            case "tool" -> {
                return StepKind.TOOL;
            }
            default -> {}
        }
        String vercel = attrs.path("ai.operationId").asText("");
        if (vercel.equals("ai.toolCall")) {
            return StepKind.TOOL;
        }
        if (vercel.endsWith(".doGenerate") || vercel.endsWith(".doStream")) {
            return StepKind.LLM;
        }
        if (vercel.startsWith("ai.embed")) {
            return StepKind.EMBEDDING;
        }
        if (vercel.startsWith("ai.")) {
            return StepKind.CHAIN;
        }
        if (has(attrs, "gen_ai.tool.name")
                || has(attrs, "gen_ai.tool.call.id")
                || has(attrs, "gen_ai.tool.call.arguments")
                || has(attrs, "tool.name") && !hasIndexed(attrs, "llm.input_messages")) {
            return StepKind.TOOL;
        }
        if (has(attrs, "llm.request.type")
                || hasIndexed(attrs, "gen_ai.prompt")
                || hasIndexed(attrs, "gen_ai.completion")
                || hasIndexed(attrs, "llm.input_messages")
                || has(attrs, "gen_ai.request.model")
                || has(attrs, "llm.model_name")
                || events.stream()
                        .anyMatch(e -> isMessageEvent(e.value().path("name").asText("")))) {
            return StepKind.LLM;
        }
        // pydantic-ai's agent run span says only which agent ran.
        if (has(attrs, "gen_ai.agent.name")) {
            return StepKind.AGENT;
        }
        return StepKind.SPAN;
    }

    /** The backend's own name for what the span is, shown in the workflow path. */
    static String type(JsonNode attrs) {
        for (String key : new String[] {
            "gen_ai.operation.name",
            "openinference.span.kind",
            "traceloop.span.kind",
            "llm.request.type",
            "ai.operationId"
        }) {
            Optional<String> value = JsonValues.text(attrs.path(key));
            if (value.isPresent()) {
                return value.get();
            }
        }
        return "span";
    }

    /** The step's input under the first convention that has one. */
    static Optional<Located<JsonNode>> input(
            StepKind kind, JsonNode attrs, List<Located<JsonNode>> events, String attrsFrom) {
        if (kind == StepKind.TOOL) {
            return first(attrs, TOOL_INPUT_KEYS, attrsFrom);
        }
        return first(attrs, INPUT_KEYS, attrsFrom).or(() -> fromEvents(events, true));
    }

    /** The step's output under the first convention that has one. */
    static Optional<Located<JsonNode>> output(
            StepKind kind, JsonNode attrs, List<Located<JsonNode>> events, String attrsFrom) {
        if (kind == StepKind.TOOL) {
            return first(attrs, TOOL_OUTPUT_KEYS, attrsFrom);
        }
        return first(attrs, OUTPUT_KEYS, attrsFrom).or(() -> fromEvents(events, false));
    }

    private static Optional<Located<JsonNode>> first(JsonNode attrs, String[] keys, String attrsFrom) {
        for (String key : keys) {
            Optional<Located<JsonNode>> value = JsonValues.located(attrs.path(key), attrsFrom + "[" + key + "]");
            if (value.isEmpty() && hasIndexed(attrs, key)) {
                value = JsonValues.located(messages(attrs, key), attrsFrom + "[" + key + ".N.*]");
            }
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** Input from message events (prompt, system, user, tool), or output from completion and choice events. */
    private static Optional<Located<JsonNode>> fromEvents(List<Located<JsonNode>> events, boolean input) {
        ArrayNode messages = NODES.arrayNode();
        String from = null;
        for (Located<JsonNode> event : events) {
            String name = event.value().path("name").asText("");
            JsonNode a = event.value().path("attributes");
            JsonNode value = null;
            if (input && name.equals("gen_ai.content.prompt")) {
                value = JsonValues.decoded(a.path("gen_ai.prompt"));
            } else if (!input && name.equals("gen_ai.content.completion")) {
                value = JsonValues.decoded(a.path("gen_ai.completion"));
            } else if (input && MESSAGE_EVENTS.containsKey(name) || !input && name.equals("gen_ai.choice")) {
                JsonNode content = JsonValues.decoded(
                        a.has("gen_ai.event.content") ? a.path("gen_ai.event.content") : a.path("content"));
                if (content.isObject() && !content.has("role") && MESSAGE_EVENTS.containsKey(name)) {
                    ObjectNode message = ((ObjectNode) content.deepCopy()).put("role", MESSAGE_EVENTS.get(name));
                    // The convention's tool message names the call it answers "id"; chat messages say tool_call_id.
                    if (name.equals("gen_ai.tool.message") && message.has("id") && !message.has("tool_call_id")) {
                        message.set("tool_call_id", message.get("id"));
                    }
                    value = message;
                } else if (name.equals("gen_ai.choice")
                        && content.path("message").isObject()) {
                    // A choice wraps the answer: {"index", "finish_reason", "message": {content | tool_calls}}.
                    ObjectNode message = NODES.objectNode().put("role", "assistant");
                    message.setAll((ObjectNode) content.path("message").deepCopy());
                    if (content.has("finish_reason")) {
                        message.set("finish_reason", content.get("finish_reason"));
                    }
                    value = message;
                } else if (content.isObject() || !JsonValues.has(content)) {
                    value = content;
                } else {
                    value = NODES.objectNode()
                            .put("role", MESSAGE_EVENTS.getOrDefault(name, "assistant"))
                            .set("content", content);
                }
            }
            if (value == null || !JsonValues.has(value)) {
                continue;
            }
            if (value.isArray()) {
                value.forEach(messages::add);
            } else {
                messages.add(value);
            }
            from = from == null ? event.from() : from;
        }
        return messages.isEmpty()
                ? Optional.empty()
                : Optional.of(new Located<>(
                        messages.size() == 1 && !messages.get(0).isObject() ? messages.get(0) : messages, from));
    }

    private static boolean isMessageEvent(String name) {
        return MESSAGE_EVENTS.containsKey(name)
                || name.equals("gen_ai.choice")
                || name.equals("gen_ai.content.prompt")
                || name.equals("gen_ai.content.completion");
    }

    private static boolean has(JsonNode attrs, String key) {
        return JsonValues.has(attrs.path(key));
    }

    /** True when {@code prefix.0.…} style keys are there. */
    static boolean hasIndexed(JsonNode attrs, String prefix) {
        List<String> names = new ArrayList<>();
        attrs.fieldNames().forEachRemaining(names::add);
        return names.stream()
                .anyMatch(n -> n.startsWith(prefix + ".")
                        && n.substring(prefix.length() + 1).matches("\\d{1,6}\\..*"));
    }

    /**
     * Indexed flattened messages ({@code gen_ai.prompt.0.role}, {@code llm.input_messages.0.message.content},
     * {@code gen_ai.completion.0.tool_calls.0.name}) as an array of nested objects; OpenInference's
     * {@code message} wrapper is taken off so every convention gives {@code [{"role", "content", …}]}.
     */
    static ArrayNode messages(JsonNode attrs, String prefix) {
        ObjectNode root = NODES.objectNode();
        attrs.fields().forEachRemaining(field -> {
            if (field.getKey().startsWith(prefix + ".")
                    && field.getKey().substring(prefix.length() + 1).matches("\\d{1,6}\\..*")) {
                put(root, field.getKey().substring(prefix.length() + 1).split("\\."), 0, field.getValue());
            }
        });
        ArrayNode messages = NODES.arrayNode();
        for (JsonNode message : arrays(root)) {
            messages.add(message.path("message").isObject() && message.size() == 1 ? message.get("message") : message);
        }
        return messages;
    }

    private static void put(ObjectNode into, String[] path, int at, JsonNode value) {
        if (at == path.length - 1) {
            into.set(path[at], value);
            return;
        }
        JsonNode next = into.get(path[at]);
        if (!(next instanceof ObjectNode)) {
            next = into.putObject(path[at]);
        }
        put((ObjectNode) next, path, at + 1, value);
    }

    /** Objects whose keys are all indexes become arrays, in index order, all the way down. */
    private static JsonNode arrays(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        if (!names.isEmpty() && names.stream().allMatch(n -> n.matches("\\d{1,6}"))) {
            TreeMap<Integer, JsonNode> items = new TreeMap<>();
            names.forEach(n -> items.put(Integer.parseInt(n), arrays(node.get(n))));
            ArrayNode array = NODES.arrayNode();
            items.values().forEach(array::add);
            return array;
        }
        ObjectNode copy = NODES.objectNode();
        names.forEach(n -> copy.set(n, arrays(node.get(n))));
        return copy;
    }
}
