package io.firebreak.bot.evidence;

import java.nio.charset.StandardCharsets;

/**
 * Generated OTLP JSON traces of agents, model calls and tool calls, either flat (every span a child of the root) or
 * chained (each span the child of the one before it): the same spans, only the parent links differ. For the test
 * that a deep chain normalizes and for {@code bench/normalize}, which compares the two.
 */
public final class DeepTraces {
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private DeepTraces() {}

    /** {@code spans} spans; {@code chained}: each the child of the previous, else all children of the first. */
    public static byte[] otlp(int spans, boolean chained) {
        StringBuilder out = new StringBuilder(spans * 420);
        out.append("{\"resourceSpans\": [{\"resource\": {\"attributes\": [")
                .append("{\"key\": \"service.name\", \"value\": {\"stringValue\": \"deep-agent\"}}]},")
                .append(" \"scopeSpans\": [{\"scope\": {\"name\": \"bench\"}, \"spans\": [");
        long start = 1_764_000_000_000_000_000L;
        for (int i = 0; i < spans; i++) {
            String kind = i % 4 == 0 ? "invoke_agent" : i % 4 == 2 ? "execute_tool" : "chat";
            out.append(i == 0 ? "" : ",")
                    .append("{\"traceId\": \"")
                    .append(TRACE_ID)
                    .append("\", \"spanId\": \"")
                    .append(id(i))
                    .append('"');
            if (i > 0) {
                out.append(", \"parentSpanId\": \"")
                        .append(id(chained ? i - 1 : 0))
                        .append('"');
            }
            out.append(", \"name\": \"")
                    .append(kind)
                    .append(' ')
                    .append(i)
                    .append("\", \"kind\": 1, \"startTimeUnixNano\": \"")
                    .append(start + i * 1_000_000L)
                    .append("\", \"endTimeUnixNano\": \"")
                    .append(start + (2L * spans - i) * 1_000_000L)
                    .append("\", \"attributes\": [{\"key\": \"gen_ai.operation.name\", \"value\": {\"stringValue\": \"")
                    .append(kind)
                    .append("\"}}");
            switch (kind) {
                case "invoke_agent" ->
                    out.append(", {\"key\": \"gen_ai.agent.name\", \"value\": {\"stringValue\": \"agent-")
                            .append(i)
                            .append("\"}}");
                case "execute_tool" ->
                    out.append(", {\"key\": \"gen_ai.tool.name\", \"value\": {\"stringValue\": \"lookup\"}}")
                            .append(
                                    ", {\"key\": \"gen_ai.tool.call.arguments\", \"value\": {\"stringValue\": \"{\\\"q\\\": ")
                            .append(i)
                            .append("}\"}}");
                default ->
                    out.append(", {\"key\": \"gen_ai.request.model\", \"value\": {\"stringValue\": \"gpt-4o\"}}")
                            .append(", {\"key\": \"gen_ai.output.messages\", \"value\": {\"stringValue\": ")
                            .append(
                                    "\"[{\\\"role\\\": \\\"assistant\\\", \\\"parts\\\": [{\\\"type\\\": \\\"text\\\", ")
                            .append("\\\"content\\\": \\\"step ")
                            .append(i)
                            .append("\\\"}]}]\"}}");
            }
            out.append("], \"status\": {\"code\": 1}}");
        }
        out.append("]}]}]}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String id(int i) {
        return String.format("%016x", 0x1000_0000_0000L + i);
    }
}
