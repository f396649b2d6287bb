package io.firebreak.bot.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.evidence.TraceSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Traces taken from public repositories (the frameworks' own test traces, the backends' documented answers; see
 * {@code resources/evidence/conventions/public/SOURCES.md}), each with its expected extraction field by field: a
 * field the trace carries is extracted with the recorded value and says where it came from; every other field
 * is missing. The figure for the closing note is counted over the same checks.
 */
class PublicTracesTest {
    static final String PUBLIC = "evidence/conventions/public/";
    static final String LANGFUSE = "reference/agent-traces/langfuse/";

    /** One public trace: where it is, how the user asked for it, and a check per field it carries. */
    record Fixture(
            String resource, TraceSource source, String typedRunId, Map<EvidenceField, Consumer<FieldValue>> carried) {
        @Override
        public String toString() {
            return resource.substring(resource.lastIndexOf('/') + 1);
        }
    }

    private static Consumer<FieldValue> is(String from, Consumer<JsonNode> value) {
        return field -> {
            assertThat(field.from().orElse("")).contains(from);
            value.accept(field.value());
        };
    }

    private static Consumer<FieldValue> text(String from, String expected) {
        return is(from, v -> assertThat(v.asText()).isEqualTo(expected));
    }

    private static Consumer<FieldValue> noErrors() {
        return is("status", v -> assertThat(v).isEmpty());
    }

    private static Consumer<JsonNode> named(String key, String name, String from) {
        return v -> {
            assertThat(v.path(key).path("name").asText()).as(key).isEqualTo(name);
            assertThat(v.path(key).path("from").asText()).as(key + " from").isEqualTo(from);
        };
    }

    private static Consumer<JsonNode> unnamed(String... keys) {
        return v -> {
            for (String key : keys) {
                assertThat(v.has(key)).as(key + " not on the trace").isFalse();
            }
        };
    }

    private static Consumer<JsonNode> all(List<Consumer<JsonNode>> checks) {
        return v -> checks.forEach(c -> c.accept(v));
    }

    private static String messageText(JsonNode message) {
        return message.has("content")
                ? message.path("content").asText()
                : message.path("parts").get(0).path("content").asText();
    }

    static Stream<Fixture> fixtures() {
        return Stream.of(
                openLlmetry(),
                koog(),
                vercelToolCall(),
                vercelTelemetry(),
                phoenix(),
                openAiAgentsOtlp(),
                tempo(),
                pydanticOtlp(),
                koogOtlp(),
                pydanticLangfuse(),
                openAiAgentsLangfuse(),
                koogLangfuse(),
                genAiEventsSemconvDocs(),
                openInferencePromptTemplate());
    }

    static Fixture genAiEventsSemconvDocs() {
        String first = "spans[spanId=5e0c1a2b3c4d5e01]";
        String second = "spans[spanId=5e0c1a2b3c4d5e02]";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "8c8b7f0a5e1d4b2a9c3e6f1d2a4b5c6d"));
        c.put(EvidenceField.USER_INPUT, is(first + ".events[0]", v -> {
            assertThat(v).hasSize(1);
            assertThat(v.get(0).path("role").asText()).isEqualTo("user");
            assertThat(v.get(0).path("content").asText()).isEqualTo("What's the weather in Paris?");
        }));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("model", "gpt-4-0613", first + ".attributes[gen_ai.response.model]"),
                                unnamed("agent", "workflow")))));
        // The tool call is in the first span's gen_ai.choice, its response in the second span's gen_ai.tool.message,
        // which names the call it answers "id".
        c.put(EvidenceField.TOOL_CALLS, is("tool calls in model messages", v -> {
            assertThat(v).hasSize(1);
            JsonNode tool = v.get(0);
            assertThat(tool.path("tool").asText()).isEqualTo("get_weather");
            assertThat(tool.path("call_id").asText()).isEqualTo("call_VSPygqKTWdrhaFErNvMV18Yl");
            assertThat(tool.path("request").path("location").asText()).isEqualTo("Paris");
            assertThat(tool.path("response").asText()).isEqualTo("rainy, 57°F");
            assertThat(tool.path("outcome").asText()).isEqualTo("ok");
            assertThat(tool.path("from").asText()).contains(first + ".events[1]", second + ".events[0]");
        }));
        // Two model calls side by side with no span around them: the answer is the later one's gen_ai.choice,
        // its message unwrapped.
        c.put(EvidenceField.FINAL_OUTPUT, is(second + ".events[3]", v -> {
            assertThat(v.get(0).path("role").asText()).isEqualTo("assistant");
            assertThat(v.get(0).path("content").asText())
                    .isEqualTo("The weather in Paris is rainy and overcast, with temperatures around 57°F");
            assertThat(v.get(0).path("finish_reason").asText()).isEqualTo("stop");
        }));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                PUBLIC + "otel-genai-events-semconv-docs", TraceSource.OTEL, "8c8b7f0a5e1d4b2a9c3e6f1d2a4b5c6d", c);
    }

    static Fixture openInferencePromptTemplate() {
        String span = "spans[spanId=a1b2c3d4e5f60718]";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "3d5f7a9b1c2e4f60718293a4b5c6d7e8"));
        c.put(EvidenceField.USER_INPUT, is(span + ".attributes[llm.input_messages.N.*]", v -> {
            assertThat(v).hasSize(1);
            assertThat(v.get(0).path("content").asText()).isEqualTo("Test context propagation");
        }));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("model", "gemini-1.5-flash", span + ".attributes[llm.model_name]"),
                                named("workflow", "GenerateContent", span + ".name"),
                                unnamed("agent")))));
        // OpenInference names no prompt, only the template's version.
        c.put(EvidenceField.PROMPT_VERSION, text(span + ".attributes[llm.prompt_template.version]", "V1.0"));
        c.put(EvidenceField.FINAL_OUTPUT, is(span + ".attributes[llm.output_messages.N.*]", v -> {
            assertThat(v.get(0).path("role").asText()).isEqualTo("model");
            assertThat(v.get(0).path("content").asText()).isEqualTo("Context test response");
        }));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                PUBLIC + "openinference-google-genai-prompt-template",
                TraceSource.OTEL,
                "3d5f7a9b1c2e4f60718293a4b5c6d7e8",
                c);
    }

    static Fixture openLlmetry() {
        String span = "spans[spanId=b7ad6b7169203331].attributes";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "0af7651916cd43dd8448eb211c80319c"));
        c.put(EvidenceField.USER_INPUT, is(span + "[gen_ai.prompt.N.*]", v -> {
            assertThat(v).hasSize(1);
            assertThat(v.get(0).path("role").asText()).isEqualTo("user");
            assertThat(v.get(0).path("content").asText()).isEqualTo("Tell me a joke about opentelemetry");
        }));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("model", "gpt-3.5-turbo-0125", span + "[gen_ai.response.model]"),
                                named("workflow", "openai.chat", "spans[spanId=b7ad6b7169203331].name"),
                                unnamed("agent")))));
        c.put(EvidenceField.FINAL_OUTPUT, is(span + "[gen_ai.completion.N.*]", v -> {
            assertThat(v.get(0).path("content").asText())
                    .isEqualTo("Why did Opentelemetry break up with Tracing? Because it couldn't handle the baggage!");
            assertThat(v.get(0).path("finish_reason").asText()).isEqualTo("stop");
        }));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "openllmetry-openai-chat", TraceSource.OTEL, "0af7651916cd43dd8448eb211c80319c", c);
    }

    static Fixture koog() {
        String span = "spans[spanId=00f067aa0ba902b7].attributes";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));
        c.put(EvidenceField.USER_INPUT, is(span + "[gen_ai.prompt.N.*]", v -> {
            assertThat(v)
                    .extracting(m ->
                            m.path("role").asText() + ": " + m.path("content").asText())
                    .containsExactly(
                            "system: You are Koog.",
                            "user: What's the forecast for Paris?",
                            "assistant: Checking the weather tool.",
                            "tool: tool response payload");
        }));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("workflow", "llm", "spans[spanId=00f067aa0ba902b7].name"),
                                unnamed("agent", "model")))));
        c.put(EvidenceField.FINAL_OUTPUT, is(span + "[gen_ai.completion.N.*]", v -> {
            assertThat(v.get(0).path("content").asText()).isEqualTo("It's sunny in Rome.");
            assertThat(v.get(0).path("finish_reason").asText()).isEqualTo("stop");
        }));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "koog-langfuse-adapter", TraceSource.OTEL, "4bf92f3577b34da6a3ce929d0e0e4736", c);
    }

    static Fixture vercelToolCall() {
        String root = "spans[spanId=eee19b7ec3c1b171]";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "5b8efff798038103d269b633813fc60c"));
        c.put(
                EvidenceField.USER_INPUT,
                is(
                        root + ".attributes[ai.prompt]",
                        v -> assertThat(v.path("prompt").asText()).isEqualTo("test-input")));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named(
                                        "model",
                                        "mock-model-id",
                                        "spans[spanId=eee19b7ec3c1b172].attributes[gen_ai.response.model]"),
                                named("workflow", "ai.generateText", root + ".attributes[ai.operationId]"),
                                unnamed("agent")))));
        c.put(EvidenceField.TOOL_CALLS, is("spans[] that are tool calls", v -> {
            assertThat(v).hasSize(1);
            JsonNode tool = v.get(0);
            assertThat(tool.path("tool").asText()).isEqualTo("tool1");
            assertThat(tool.path("call_id").asText()).isEqualTo("call-1");
            assertThat(tool.path("request").path("value").asText()).isEqualTo("value");
            assertThat(tool.path("response").asText()).isEqualTo("result1");
            assertThat(tool.path("outcome").asText()).isEqualTo("ok");
            assertThat(tool.path("from").asText()).isEqualTo("spans[spanId=eee19b7ec3c1b173]");
        }));
        // The run stopped at the tool call (maxSteps 1): its last answer is the call it asked for.
        c.put(
                EvidenceField.FINAL_OUTPUT,
                is(
                        root + ".attributes[ai.response.toolCalls]",
                        v -> assertThat(v.get(0).path("toolName").asText()).isEqualTo("tool1")));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "vercel-ai-tool-call", TraceSource.OTEL, "5b8efff798038103d269b633813fc60c", c);
    }

    static Fixture vercelTelemetry() {
        String root = "spans[spanId=eee19b7ec3c1b174].attributes";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "5b8efff798038103d269b633813fc60c"));
        c.put(
                EvidenceField.USER_INPUT,
                is(
                        root + "[ai.prompt]",
                        v -> assertThat(v.path("prompt").asText()).isEqualTo("prompt")));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("agent", "test-function-id", root + "[ai.telemetry.functionId]"),
                                named("workflow", "ai.generateText", root + "[ai.operationId]"),
                                named(
                                        "model",
                                        "test-response-model-id",
                                        "spans[spanId=eee19b7ec3c1b175].attributes[gen_ai.response.model]")))));
        c.put(EvidenceField.FINAL_OUTPUT, text(root + "[ai.response.text]", "Hello, world!"));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "vercel-ai-telemetry", TraceSource.OTEL, "5b8efff798038103d269b633813fc60c", c);
    }

    static Fixture phoenix() {
        String llm = "spans[spanId=d9bdedf0df0b7208].attributes";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "6c80880dbeb609e2ed41e06a6397a0dd"));
        // The top span is not in the trace: the model call's messages are the input, not the retriever's query.
        c.put(EvidenceField.USER_INPUT, is(llm + "[llm.input_messages.N.*]", v -> {
            assertThat(v).extracting(m -> m.path("role").asText()).containsExactly("system", "user");
            assertThat(v.get(0).path("content").asText()).contains("Domestic Mail Manual");
            assertThat(v.get(1).path("content").asText()).isEqualTo("Hello");
        }));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("model", "gpt-4-turbo-preview", llm + "[llm.model_name]"),
                                unnamed("agent", "workflow"),
                                v -> assertThat(v.path("roots")).hasSize(2)))));
        c.put(EvidenceField.RETRIEVED_SOURCES, is("spans[] that are retrievals", v -> {
            assertThat(v).hasSize(1);
            assertThat(v.get(0).path("query").asText()).isEqualTo("tell me about postal service");
            assertThat(v.get(0).path("documents_count").asInt()).isEqualTo(3);
            assertThat(v.get(0).path("documents"))
                    .extracting(d -> d.path("document.id").asText() + " "
                            + d.path("document.content").asText())
                    .containsExactly(
                            "6d4e27be-1d6d-4084-a619-351a44834f38 <document-chunk-1>",
                            "869d9f6d-db9a-43c4-842f-74bd8d505147 <document-chunk-2>",
                            "72b5cb6b-464f-4460-b497-cc7c09d1dbef <document-chunk-3>");
        }));
        c.put(EvidenceField.FINAL_OUTPUT, text(llm + "[output.value]", "How are you?"));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                PUBLIC + "openinference-phoenix-docs", TraceSource.OTEL, "6c80880dbeb609e2ed41e06a6397a0dd", c);
    }

    static Fixture openAiAgentsOtlp() {
        String first = "spans[spanId=98870087af69bf06].attributes";
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "fee618f96dc31e0ca38b2f7b26eb8b29"));
        c.put(
                EvidenceField.USER_INPUT,
                is(
                        first + "[input.value]",
                        v -> assertThat(JsonValues.decoded(v)
                                        .get(0)
                                        .path("content")
                                        .asText())
                                .isEqualTo("What's the weather in Tokyo?")));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named("agent", "Agent workflow", "spans[spanId=e5a76f27f51ad40e].name"),
                                named("workflow", "Agent workflow", "spans[spanId=e5a76f27f51ad40e].name"),
                                named("model", "gpt-4.1-2025-04-14", first + "[llm.model_name]")))));
        c.put(EvidenceField.TOOL_CALLS, is("spans[] that are tool calls", v -> {
            assertThat(v).hasSize(1);
            JsonNode tool = v.get(0);
            assertThat(tool.path("tool").asText()).isEqualTo("get_weather");
            assertThat(tool.path("request").path("city").asText()).isEqualTo("Tokyo");
            assertThat(tool.path("response").asText()).isEqualTo("The weather in Tokyo is sunny.");
            assertThat(tool.path("outcome").asText()).isEqualTo("ok");
            assertThat(tool.path("from").asText()).isEqualTo("spans[spanId=5b99c3e3411ed17b]");
        }));
        c.put(
                EvidenceField.FINAL_OUTPUT,
                is(
                        "spans[spanId=90d94774e8e3724d].attributes[output.value]",
                        v -> assertThat(JsonValues.decoded(v)
                                        .path("output")
                                        .get(0)
                                        .path("content")
                                        .get(0)
                                        .path("text")
                                        .asText())
                                .startsWith("The weather in Tokyo is currently sunny.")));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                PUBLIC + "openinference-openai-agents-otlp", TraceSource.OTEL, "fee618f96dc31e0ca38b2f7b26eb8b29", c);
    }

    static Fixture tempo() {
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        // Tempo answers the 64-bit ID base64-encoded and padded to 128 bits; the user typed the 64-bit hex.
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "60ba2abb44f13eae"));
        c.put(EvidenceField.WORKFLOW_PATH, is("spans[]", v -> {
            JsonNode root = v.path("roots").get(0);
            assertThat(root.path("id").asText()).isEqualTo("726b5e30102fc0d0");
            assertThat(root.path("name").asText()).isEqualTo("HTTP GET - root");
            assertThat(root.path("status").asText()).isEqualTo("ok");
        }));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "tempo-grafana-docs-base64", TraceSource.OTEL, "60ba2abb44f13eae", c);
    }

    static Fixture pydanticOtlp() {
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "7a38edd8123db47ad8dcb8aa4c5e3926"));
        c.put(EvidenceField.USER_INPUT, is("spans[spanId=be64c23f44dd98be].attributes[gen_ai.input.messages]", v -> {
            assertThat(v.get(0).path("role").asText()).isEqualTo("system");
            assertThat(messageText(v.get(1)))
                    .isEqualTo(
                            "Select and call THREE of the available tools to get joke suggestions about 'programming'.");
        }));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named(
                                        "agent",
                                        "joke_agent",
                                        "spans[spanId=5b5c52d029f28206].attributes[gen_ai.agent.name]"),
                                named("workflow", "run_joke_generator", "spans[spanId=00d3f40ee8e3b716].name"),
                                named(
                                        "model",
                                        "gpt-4o-mini-2024-07-18",
                                        "spans[spanId=be64c23f44dd98be].attributes[gen_ai.response.model]"),
                                v -> assertThat(v.path("steps").asInt()).isEqualTo(12)))));
        c.put(EvidenceField.TOOL_CALLS, is("spans[] that are tool calls", PublicTracesTest::jokeTools));
        // The last top-level agent (the evaluator) answered last, through its final_result output tool.
        c.put(EvidenceField.FINAL_OUTPUT, is("spans[spanId=eb0cc14cf7943ad5].attributes[gen_ai.output.messages]", v -> {
            JsonNode part = v.get(0).path("parts").get(0);
            assertThat(part.path("name").asText()).isEqualTo("final_result");
            assertThat(part.path("arguments").path("quality").asText()).isEqualTo("good");
        }));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "pydantic-ai-otlp", TraceSource.OTEL, "7a38edd8123db47ad8dcb8aa4c5e3926", c);
    }

    /** The three suggestion tools, with their arguments and answers; final_result is the answer, not a tool. */
    private static void jokeTools(JsonNode v) {
        assertThat(v)
                .extracting(
                        t -> t.path("tool").asText() + " " + t.path("outcome").asText())
                .containsExactly("get_pun_suggestion ok", "get_dad_joke_suggestion ok", "get_one_liner_suggestion ok");
        assertThat(v).extracting(t -> t.path("request").path("topic").asText()).containsOnly("programming");
        assertThat(v.get(1).path("call_id").asText()).isEqualTo("call_WxZcCvSDhGT4RJHlcU01k10x");
        assertThat(v.get(1).path("response").asText())
                .isEqualTo(
                        "Dad joke idea: Use a classic setup-punchline format about 'programming' with a groan-worthy twist");
    }

    static Fixture pydanticLangfuse() {
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("trace.id", "7a38edd8123db47ad8dcb8aa4c5e3926"));
        c.put(
                EvidenceField.USER_INPUT,
                is(
                        "trace.input",
                        v -> assertThat(v.path("args").get(0).asText()).isEqualTo("programming")));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "observations[]",
                        all(List.of(
                                named(
                                        "agent",
                                        "joke_agent",
                                        "observations[id=5b5c52d029f28206].metadata.attributes[gen_ai.agent.name]"),
                                named("model", "gpt-4o-mini-2024-07-18", "observations[id=be64c23f44dd98be].model")))));
        c.put(EvidenceField.TOOL_CALLS, is("observations[] that are tool calls", PublicTracesTest::jokeTools));
        c.put(
                EvidenceField.FINAL_OUTPUT,
                text("trace.output", "Why do programmers hate nature?  \nIt has too many bugs!"));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                LANGFUSE + "pydantic-ai-tools-2025-12-04", TraceSource.LANGFUSE, "7a38edd8123db47ad8dcb8aa4c5e3926", c);
    }

    static Fixture openAiAgentsLangfuse() {
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("trace.id", "fee618f96dc31e0ca38b2f7b26eb8b29"));
        c.put(
                EvidenceField.USER_INPUT,
                is(
                        "observations[id=98870087af69bf06].input",
                        v -> assertThat(v.get(0).path("content").asText()).isEqualTo("What's the weather in Tokyo?")));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "observations[]",
                        all(List.of(
                                named("model", "gpt-4.1-2025-04-14", "observations[id=98870087af69bf06].model"),
                                v -> assertThat(v.path("roots")
                                                .get(0)
                                                .path("name")
                                                .asText())
                                        .isEqualTo("Agent workflow")))));
        c.put(EvidenceField.TOOL_CALLS, is("observations[] that are tool calls", v -> {
            assertThat(v).hasSize(1);
            assertThat(v.get(0).path("tool").asText()).isEqualTo("get_weather");
            assertThat(v.get(0).path("request").path("city").asText()).isEqualTo("Tokyo");
            assertThat(v.get(0).path("response").asText()).isEqualTo("The weather in Tokyo is sunny.");
            assertThat(v.get(0).path("outcome").asText()).isEqualTo("ok");
        }));
        c.put(
                EvidenceField.FINAL_OUTPUT,
                is(
                        "observations[id=90d94774e8e3724d].output",
                        v -> assertThat(v.path("output")
                                        .get(0)
                                        .path("content")
                                        .get(0)
                                        .path("text")
                                        .asText())
                                .startsWith("The weather in Tokyo is currently sunny.")));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                LANGFUSE + "openai-agents-2025-09-30", TraceSource.LANGFUSE, "fee618f96dc31e0ca38b2f7b26eb8b29", c);
    }

    /** Koog's two tool calls, run as spans that carry only gen_ai.tool.* and OpenInference's input/output. */
    private static Consumer<FieldValue> koogTools(String from) {
        return is(from, v -> {
            assertThat(v)
                    .extracting(t ->
                            t.path("tool").asText() + " " + t.path("call_id").asText() + " "
                                    + t.path("request").path("name").asText() + " -> "
                                    + t.path("response").asText()
                                    + " (" + t.path("outcome").asText() + ")")
                    .containsExactlyInAnyOrder(
                            "HelloTool call_n2HaWg9KFP0BZDqXv6G4b3nJ Bob -> Hello my darling Bob! (ok)",
                            "ByeTool call_dOeEHJDI0liHrCdFWTpkTsuO Bob -> Bye my dear Bob! (ok)");
        });
    }

    static Fixture koogOtlp() {
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("spans[0].traceId", "dff173a675b759ce1b70e522b27d6846"));
        c.put(EvidenceField.USER_INPUT, is("spans[spanId=042f9350c3729147].attributes[gen_ai.prompt.N.*]", v -> {
            assertThat(v).extracting(m -> m.path("role").asText()).containsExactly("system", "user");
            assertThat(v.get(1).path("content").asText()).startsWith("Greet and say goodbye to the user");
        }));
        c.put(EvidenceField.AGENT_VERSION, text("service.version", "0.3.0"));
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "spans[]",
                        all(List.of(
                                named(
                                        "agent",
                                        "agent.f9f77d1a-437f-4ba6-890e-b592a50cbd21",
                                        "spans[spanId=1b7200380e3316e7].name"),
                                named(
                                        "model",
                                        "gpt-4o",
                                        "spans[spanId=042f9350c3729147].attributes[gen_ai.request.model]"),
                                v -> assertThat(v.path("steps").asInt()).isEqualTo(11)))));
        c.put(EvidenceField.TOOL_CALLS, koogTools("spans[] that are tool calls"));
        c.put(
                EvidenceField.FINAL_OUTPUT,
                is(
                        "spans[spanId=e44e72cf2d221781].attributes[gen_ai.completion.N.*]",
                        v -> assertThat(v.get(0).path("content").asText())
                                .isEqualTo("Hello my darling Bob! And, bye my dear Bob!")));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(PUBLIC + "koog-otlp", TraceSource.OTEL, "dff173a675b759ce1b70e522b27d6846", c);
    }

    static Fixture koogLangfuse() {
        Map<EvidenceField, Consumer<FieldValue>> c = new LinkedHashMap<>();
        c.put(EvidenceField.RUN_ID, text("trace.id", "dff173a675b759ce1b70e522b27d6846"));
        c.put(
                EvidenceField.USER_INPUT,
                is(
                        "observations[id=042f9350c3729147].input",
                        v -> assertThat(JsonValues.decoded(v)
                                        .get(0)
                                        .path("content")
                                        .asText())
                                .isEqualTo("You are a nice and polite assistant.")));
        c.put(EvidenceField.AGENT_VERSION, text("trace.version", "0.3.0"));
        // The generations carry the model only in Langfuse's own field and in gen_ai.request.model: the first wins.
        c.put(
                EvidenceField.WORKFLOW_PATH,
                is(
                        "observations[]",
                        all(List.of(
                                named(
                                        "agent",
                                        "agent.f9f77d1a-437f-4ba6-890e-b592a50cbd21",
                                        "observations[id=1b7200380e3316e7].name"),
                                named("model", "gpt-4o", "observations[id=042f9350c3729147].model")))));
        // Koog's tool calls are SPAN observations that carry gen_ai.tool.* in metadata.attributes.
        c.put(EvidenceField.TOOL_CALLS, koogTools("observations[] that are tool calls"));
        c.put(
                EvidenceField.FINAL_OUTPUT,
                is(
                        "observations[id=e44e72cf2d221781].output",
                        v -> assertThat(JsonValues.decoded(v)
                                        .get(0)
                                        .path("content")
                                        .asText())
                                .isEqualTo("Hello my darling Bob! And, bye my dear Bob!")));
        c.put(EvidenceField.ERRORS, noErrors());
        return new Fixture(
                PUBLIC + "koog-langfuse-2025-08-26", TraceSource.LANGFUSE, "dff173a675b759ce1b70e522b27d6846", c);
    }

    static NormalizedRun normalize(Fixture f) {
        return normalize(f.resource(), f.source(), f.typedRunId(), json -> {});
    }

    static NormalizedRun normalize(String resource, TraceSource source, String runId, Consumer<JsonNode> edit) {
        try (InputStream in = PublicTracesTest.class.getClassLoader().getResourceAsStream(resource + ".trace.json")) {
            assertThat(in).as(resource).isNotNull();
            JsonNode trace = TraceReadingTest.MAPPER.readTree(in);
            edit.accept(trace);
            return Normalizer.normalize(
                    source,
                    runId,
                    List.of(new Normalizer.Body("trace", TraceReadingTest.MAPPER.writeValueAsBytes(trace), false)),
                    List.of(),
                    Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFieldTheTraceCarriesIsExtractedAsRecordedAndNoOtherIs(Fixture fixture) {
        NormalizedRun run = normalize(fixture);

        assertThat(run.presentFields())
                .containsExactlyInAnyOrderElementsOf(fixture.carried().keySet());
        fixture.carried().forEach((field, check) -> check.accept(run.field(field)));
    }

    @Test
    void aRetrieverWhoseParentIsMissingIsNotTakenForTheRunAndTheNoteSaysTheTraceIsIncomplete() {
        NormalizedRun run = normalize(phoenix());

        assertThat(run.field(EvidenceField.FINAL_OUTPUT).value().asText()).isEqualTo("How are you?");
        assertThat(run.notes())
                .anySatisfy(n -> assertThat(n).contains("7eb5df0046c77cd2", "the trace may be incomplete"));
    }

    @Test
    void tempoAnswersA64BitTraceIdPaddedAndTheRunIdStaysAsTyped() {
        Fixture tempo = tempo();

        assertThat(normalize(tempo.resource(), TraceSource.OTEL, "000000000000000060BA2ABB44F13EAE", j -> {})
                        .field(EvidenceField.RUN_ID)
                        .value()
                        .asText())
                .isEqualTo("000000000000000060BA2ABB44F13EAE");
        assertThat(normalize(tempo.resource(), TraceSource.OTEL, "60ba2abb44f13eae", j -> {})
                        .field(EvidenceField.RUN_ID)
                        .value()
                        .asText())
                .isEqualTo("60ba2abb44f13eae");
        assertThat(normalize(tempo.resource(), TraceSource.OTEL, "1111111111111111", j -> {})
                        .field(EvidenceField.RUN_ID)
                        .value()
                        .asText())
                .as("another ID is not taken for the one typed")
                .isEqualTo("000000000000000060ba2abb44f13eae");
        assertThat(normalize(tempo).field(EvidenceField.USER_INPUT).reason().orElseThrow())
                .contains("gen_ai.prompt.N.*", "ai.prompt.messages", "llm.input_messages.N");
    }

    @Test
    void aLangfuseGenerationThatRecordsOnlyItsModelFieldNamesTheModel() {
        // The same public trace as a Langfuse SDK generation sends it: no OTel attributes, only Langfuse's fields.
        Fixture langfuse = pydanticLangfuse();
        NormalizedRun run = normalize(
                langfuse.resource(),
                TraceSource.LANGFUSE,
                langfuse.typedRunId(),
                trace -> trace.path("observations").forEach(o -> ((ObjectNode) o).remove("metadata")));

        JsonNode model = run.field(EvidenceField.WORKFLOW_PATH).value().path("model");
        assertThat(model.path("name").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(model.path("from").asText()).isEqualTo("observations[id=be64c23f44dd98be].model");
    }

    /** Per backend: fixtures, fields the traces carry, fields extracted, fields extracted with the recorded value. */
    static Map<TraceSource, int[]> figure() {
        Map<TraceSource, int[]> figure = new LinkedHashMap<>();
        fixtures().forEach(f -> {
            NormalizedRun run = normalize(f);
            int[] counts = figure.computeIfAbsent(f.source(), s -> new int[4]);
            counts[0]++;
            counts[1] += f.carried().size();
            for (Map.Entry<EvidenceField, Consumer<FieldValue>> e : f.carried().entrySet()) {
                FieldValue field = run.field(e.getKey());
                if (!field.present()) {
                    continue;
                }
                counts[2]++;
                try {
                    e.getValue().accept(field);
                    counts[3]++;
                } catch (AssertionError wrong) {
                    // counted as extracted, not as correct
                }
            }
        });
        return figure;
    }

    @Test
    void figureForTheClosingNote() {
        Map<TraceSource, int[]> figure = figure();
        figure.forEach((source, c) -> System.out.printf(
                "public traces, %s: %d fixtures, %d fields carried, %d extracted, %d extracted correctly%n",
                source, c[0], c[1], c[2], c[3]));

        assertThat(figure.get(TraceSource.OTEL)).containsExactly(11, 61, 61, 61);
        assertThat(figure.get(TraceSource.LANGFUSE)).containsExactly(3, 19, 19, 19);
    }
}
