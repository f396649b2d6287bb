package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tool calls a model asked for, read from the messages of its model calls, with the responses fed back to it.
 * Understands OpenTelemetry GenAI message parts ({@code tool_call} / {@code tool_call_response}), OpenAI chat
 * ({@code tool_calls} / role {@code tool}), OpenAI Responses ({@code function_call} / {@code function_call_output})
 * and Anthropic ({@code tool_use} / {@code tool_result}); also the Vercel AI SDK's {@code ai.response.toolCalls}
 * ({@code toolCallId}, {@code toolName}), OpenInference's flattened {@code tool_call.function.*} and OpenLLMetry's
 * indexed {@code tool_calls.N.name/arguments}.
 */
final class MessageToolCalls {

    /** A call the model requested; {@code from} points at the request inside the message. */
    record Call(String id, String tool, JsonNode arguments, String from, String step) {}

    /** A response fed back for call {@code id}. */
    record Response(String id, JsonNode content, boolean isError, String from) {}

    private final Map<String, Call> calls = new LinkedHashMap<>();
    private final Map<String, Response> responses = new LinkedHashMap<>();
    private Set<String> outputTools = Set.of();

    /** Reads the calls and responses of the model-call steps, in order. Later repeats of a call keep the first. */
    static MessageToolCalls of(List<Step> modelSteps) {
        MessageToolCalls found = new MessageToolCalls();
        for (Step step : modelSteps) {
            found.outputTools = outputTools(step);
            step.input().ifPresent(in -> found.walk(in.value(), in.from(), step.name()));
            step.output().ifPresent(out -> found.walk(out.value(), out.from(), step.name()));
        }
        return found;
    }

    /**
     * The tools through which the model gives its structured answer (pydantic-ai's {@code final_result}, named in
     * the model call's {@code model_request_parameters.output_tools}): calling one is the answer, not a tool call.
     */
    private static Set<String> outputTools(Step step) {
        Set<String> names = new HashSet<>();
        EvidenceExtractor.attribute(step, "model_request_parameters")
                .map(p -> JsonValues.decoded(p.value()).path("output_tools"))
                .ifPresent(tools ->
                        tools.forEach(t -> JsonValues.text(t.path("name")).ifPresent(names::add)));
        return names;
    }

    List<Call> calls() {
        return List.copyOf(calls.values());
    }

    Optional<Response> responseTo(String id) {
        return Optional.ofNullable(responses.get(id));
    }

    private void walk(JsonNode root, String from, String step) {
        Deque<Map.Entry<String, JsonNode>> todo = new ArrayDeque<>();
        todo.push(Map.entry("", root));
        while (!todo.isEmpty()) {
            Map.Entry<String, JsonNode> entry = todo.pop();
            String pointer = entry.getKey();
            JsonNode node = JsonValues.decoded(entry.getValue());
            if (node.isObject()) {
                read(node, from + pointer, step);
                List<Map.Entry<String, JsonNode>> children = new ArrayList<>();
                node.fields().forEachRemaining(f -> children.add(Map.entry(pointer + "/" + f.getKey(), f.getValue())));
                for (int i = children.size() - 1; i >= 0; i--) {
                    todo.push(children.get(i));
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    todo.push(Map.entry(pointer + "/" + i, node.get(i)));
                }
            }
        }
    }

    private void read(JsonNode node, String at, String step) {
        String type = node.path("type").asText("");
        switch (type) {
            case "tool_call" -> call(node.path("id"), node.path("name"), node.path("arguments"), at, step);
            case "function_call" -> call(node.path("call_id"), node.path("name"), node.path("arguments"), at, step);
            case "tool_use" -> call(node.path("id"), node.path("name"), node.path("input"), at, step);
            case "tool_call_response" -> response(node.path("id"), node.path("response"), false, at);
            case "function_call_output" -> response(node.path("call_id"), node.path("output"), false, at);
            case "tool_result" ->
                response(
                        node.path("tool_use_id"),
                        node.path("content"),
                        node.path("is_error").asBoolean(false),
                        at);
            case "function" -> {
                if (node.has("function") && node.has("id")) {
                    call(
                            node.path("id"),
                            node.path("function").path("name"),
                            node.path("function").path("arguments"),
                            at,
                            step);
                }
            }
            default -> {
                if ("tool".equals(node.path("role").asText()) && node.has("tool_call_id")) {
                    response(node.path("tool_call_id"), node.path("content"), false, at);
                } else if (node.has("toolCallId") && node.has("toolName")) {
                    call(
                            node.path("toolCallId"),
                            node.path("toolName"),
                            node.has("args") ? node.path("args") : node.path("input"),
                            at,
                            step);
                } else if (node.path("tool_call").path("function").isObject()) {
                    JsonNode f = node.path("tool_call").path("function");
                    call(node.path("tool_call").path("id"), f.path("name"), f.path("arguments"), at, step);
                } else if (node.path("tool_calls").isArray()) {
                    // OpenLLMetry's indexed completion: tool_calls.N.{id, name, arguments}, without a type.
                    for (int i = 0; i < node.path("tool_calls").size(); i++) {
                        JsonNode c = node.path("tool_calls").get(i);
                        if (!c.has("type") && !c.has("function") && c.has("name")) {
                            call(c.path("id"), c.path("name"), c.path("arguments"), at + "/tool_calls/" + i, step);
                        }
                    }
                }
            }
        }
    }

    private void call(JsonNode id, JsonNode name, JsonNode arguments, String at, String step) {
        Optional<String> tool = JsonValues.text(name);
        if (tool.isEmpty() || outputTools.contains(tool.get())) {
            return;
        }
        String key = JsonValues.text(id).orElse(tool.get() + "#" + calls.size());
        calls.putIfAbsent(
                key,
                new Call(
                        key,
                        tool.get(),
                        JsonValues.decoded(arguments.isMissingNode() ? MissingNode.getInstance() : arguments),
                        at,
                        step));
    }

    private void response(JsonNode id, JsonNode content, boolean isError, String at) {
        JsonValues.text(id)
                .ifPresent(
                        key -> responses.putIfAbsent(key, new Response(key, JsonValues.decoded(content), isError, at)));
    }
}
