package io.firebreak.bot.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.storage.evidence.FailurePoint;
import io.firebreak.storage.evidence.TraceSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tracing convention agent teams emit is read into the same evidence fields: one support-agent run (a
 * question, a {@code lookup_order} tool call, an answer) written in each convention's documented names, see
 * {@code resources/evidence/conventions/README.md}.
 */
class TracingConventionsTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String QUESTION = "Where is my order 1234?";
    static final String ANSWER = "Your order 1234 shipped yesterday and arrives Friday.";

    /** What each fixture must give; null where the convention has no such attribute. */
    record Expected(String file, TraceSource source, String agent, String version, String promptVersion) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Expected> conventions() {
        return Stream.of(
                new Expected("openllmetry", TraceSource.OTEL, null, "2.3.0", null),
                new Expected("koog", TraceSource.OTEL, "support-agent", "2.3.0", null),
                new Expected("openlit", TraceSource.OTEL, null, "2.3.0", null),
                new Expected("semantic-kernel", TraceSource.OTEL, null, "2.3.0", null),
                new Expected("vercel-ai", TraceSource.OTEL, "support-agent", "2.3.0", null),
                new Expected("openinference-flat", TraceSource.OTEL, "support-agent", "2.3.0", "v7"),
                new Expected("genai-tool-attributes", TraceSource.OTEL, null, "2.3.0", null),
                new Expected("langfuse-span-tool", TraceSource.LANGFUSE, null, "2.3.0", null));
    }

    static NormalizedRun normalize(String file, TraceSource source, String runId) {
        String resource = "evidence/conventions/" + file + ".trace.json";
        try (InputStream in = TracingConventionsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return Normalizer.normalize(
                    source,
                    runId,
                    List.of(new Normalizer.Body("trace", in.readAllBytes(), false)),
                    List.of(),
                    Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static NormalizedRun normalize(String file) {
        return normalize(file, TraceSource.OTEL, TRACE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conventions")
    void everyConventionGivesTheSameFields(Expected expected) {
        NormalizedRun run = normalize(expected.file(), expected.source(), TRACE);

        assertThat(run.field(EvidenceField.RUN_ID).value().asText()).isEqualTo(TRACE);
        assertThat(present(run, EvidenceField.USER_INPUT).toString()).contains(QUESTION);
        assertThat(present(run, EvidenceField.FINAL_OUTPUT).toString()).contains(ANSWER);
        JsonNode tools = present(run, EvidenceField.TOOL_CALLS);
        assertThat(tools).hasSize(1);
        JsonNode tool = tools.get(0);
        assertThat(tool.path("tool").asText()).isEqualTo("lookup_order");
        assertThat(tool.path("outcome").asText()).isEqualTo("ok");
        assertThat(JsonValues.decoded(tool.path("request")).toString()).contains("\"order_id\":\"1234\"");
        assertThat(JsonValues.decoded(tool.path("response")).toString()).contains("\"status\":\"shipped\"");
        assertThat(present(run, EvidenceField.ERRORS)).isEmpty();
        JsonNode path = present(run, EvidenceField.WORKFLOW_PATH);
        assertThat(path.path("model").path("name").asText()).isEqualTo("gpt-4o");
        if (expected.agent() != null) {
            assertThat(path.path("agent").path("name").asText()).isEqualTo(expected.agent());
        }
        assertThat(present(run, EvidenceField.AGENT_VERSION).asText()).isEqualTo(expected.version());
        if (expected.promptVersion() != null) {
            assertThat(present(run, EvidenceField.PROMPT_VERSION).asText()).isEqualTo(expected.promptVersion());
        }
        assertThat(run.suggestion()).isEmpty();
    }

    @Test
    void openInferenceFlattenedMessagesAndDocumentsAreReadAsMessagesAndSources() {
        NormalizedRun run = normalize("openinference-flat");

        JsonNode input = present(run, EvidenceField.USER_INPUT);
        assertThat(input.get(0).path("role").asText()).isEqualTo("system");
        assertThat(input.get(1).path("content").asText()).isEqualTo(QUESTION);
        assertThat(run.field(EvidenceField.USER_INPUT).from())
                .contains("spans[spanId=f000000000000002].attributes[llm.input_messages.N.*]");
        JsonNode sources = present(run, EvidenceField.RETRIEVED_SOURCES);
        assertThat(sources.get(0).path("documents_count").asInt()).isEqualTo(1);
        assertThat(sources.get(0).path("documents").toString()).contains("kb-17", "Orders ship in 2 days.");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"openllmetry", "vercel-ai", "openinference-flat"})
    void toolCallsAModelAskedForAreReadFromEachConventionsMessages(String file) throws IOException {
        NormalizedRun run = normalize(file);
        // The same trace without its tool span (the one whose ID ends in 3): the call is then known only from the
        // model's messages.
        JsonNode trace = TraceReadingTest.MAPPER.readTree(resource(file));
        JsonNode spans = trace.path("trace")
                .path("resourceSpans")
                .get(0)
                .path("scopeSpans")
                .get(0)
                .path("spans");
        for (int i = spans.size() - 1; i >= 0; i--) {
            if (spans.get(i).path("spanId").asText().endsWith("3")) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) spans).remove(i);
            }
        }
        NormalizedRun messagesOnly = Normalizer.normalize(
                TraceSource.OTEL,
                TRACE,
                List.of(new Normalizer.Body("trace", TraceReadingTest.MAPPER.writeValueAsBytes(trace), false)),
                List.of(),
                Optional.empty());

        assertThat(present(run, EvidenceField.TOOL_CALLS)).hasSize(1);
        JsonNode tools = present(messagesOnly, EvidenceField.TOOL_CALLS);
        assertThat(tools)
                .extracting(
                        t -> t.path("tool").asText() + ":" + t.path("call_id").asText())
                .containsExactly("lookup_order:call_1");
        assertThat(JsonValues.decoded(tools.get(0).path("request")).toString()).contains("1234");
        assertThat(tools.get(0).path("outcome").asText()).isEqualTo("no response recorded");
    }

    static String resource(String file) {
        try (InputStream in = TracingConventionsTest.class
                .getClassLoader()
                .getResourceAsStream("evidence/conventions/" + file + ".trace.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void semanticKernelMessageEventsKeepTheirRoles() {
        NormalizedRun run = normalize("semantic-kernel");

        JsonNode input = present(run, EvidenceField.USER_INPUT);
        assertThat(input).extracting(m -> m.path("role").asText()).containsExactly("system", "user", "tool");
        assertThat(run.field(EvidenceField.USER_INPUT).from()).contains("spans[spanId=d000000000000001].events[0]");
        // A gen_ai.choice event's message is unwrapped into the assistant's answer.
        JsonNode answer = present(run, EvidenceField.FINAL_OUTPUT).get(0);
        assertThat(answer.path("role").asText()).isEqualTo("assistant");
        assertThat(answer.path("content").asText()).isEqualTo(ANSWER);
    }

    @Test
    void tempoBase64IdsAreTheHexTheUserTyped() {
        String typed = TRACE.toUpperCase(java.util.Locale.ROOT);

        NormalizedRun run = normalize("tempo-base64-ids", TraceSource.OTEL, typed);

        assertThat(run.field(EvidenceField.RUN_ID).value().asText()).isEqualTo(typed);
        JsonNode root = present(run, EvidenceField.WORKFLOW_PATH).path("roots");
        assertThat(root).hasSize(1);
        assertThat(root.get(0).path("id").asText()).isEqualTo("2000000000000001");
        assertThat(root.get(0).path("children").get(0).path("id").asText()).isEqualTo("2000000000000002");
        assertThat(TraceIds.hex("S/kvNXezTaajzpKdDg5HNg==")).isEqualTo(TRACE);
        assertThat(TraceIds.hex("5B8EFFF798038103D269B633813FC60C")).isEqualTo("5B8EFFF798038103D269B633813FC60C");
        assertThat(TraceIds.hex("not-an-id")).isEqualTo("not-an-id");
    }

    @Test
    void aToolThatSaysItFailedInsideASuccessfulSpanIsAFailureAndSuggestsTheFailurePoint() {
        NormalizedRun run = normalize("tool-error-in-ok-span");

        JsonNode tools = present(run, EvidenceField.TOOL_CALLS);
        assertThat(tools)
                .extracting(t -> t.path("tool").asText() + ":"
                        + t.path("outcome").asText() + ":" + t.path("error").asText())
                .containsExactly(
                        "issue_refund:error:permission denied: missing scope refunds:write",
                        "send_email:error:SMTP relay refused the message");
        assertThat(present(run, EvidenceField.ERRORS))
                .extracting(
                        e -> e.path("step").asText() + ":" + e.path("message").asText())
                .containsExactly("execute_tool issue_refund:permission denied: missing scope refunds:write");
        assertThat(run.suggestion()).hasValueSatisfying(s -> {
            assertThat(s.point()).isEqualTo(FailurePoint.TOOL_PERMISSION);
            assertThat(s.reason()).contains("issue_refund", "refunds:write");
        });
    }

    @Test
    void toolResponsesSayFailureInEveryCommonShape() {
        for (String failed : List.of(
                "{\"status\": \"error\", \"message\": \"boom\"}",
                "{\"response_status\": \"Error\", \"message\": \"boom\"}",
                "{\"error\": \"boom\"}",
                "{\"isError\": true, \"content\": [{\"type\": \"text\", \"text\": \"boom\"}]}",
                "{\"jsonrpc\": \"2.0\", \"id\": 3, \"error\": {\"code\": -32602, \"message\": \"boom\"}}",
                "{\"jsonrpc\": \"2.0\", \"id\": 3, \"result\": {\"isError\": true, \"content\": [{\"type\": \"text\", \"text\": \"boom\"}]}}")) {
            assertThat(ToolFailure.of(TraceReadingTest.MAPPER.getNodeFactory().textNode(failed)))
                    .as(failed)
                    .contains("boom");
        }
        for (String ok : List.of(
                "{\"status\": \"shipped\"}",
                "{\"payment\": \"p1\", \"status\": \"failed\"}",
                "{\"error\": null, \"data\": 1}",
                "{\"isError\": false, \"content\": []}",
                "\"the status is error-free\"")) {
            assertThat(ToolFailure.of(TraceReadingTest.MAPPER.getNodeFactory().textNode(ok)))
                    .as(ok)
                    .isEmpty();
        }
    }

    @Test
    void theFinalOutputIsTheTopLevelAgentsLastTurnNotASubAgents() {
        NormalizedRun run = normalize("nested-subagent");

        assertThat(present(run, EvidenceField.FINAL_OUTPUT).toString())
                .contains(ANSWER)
                .doesNotContain("internal");
        assertThat(present(run, EvidenceField.WORKFLOW_PATH)
                        .path("agent")
                        .path("name")
                        .asText())
                .isEqualTo("triage-agent");
    }

    @Test
    void jsonNullOutputIsMissingAndTheReasonNamesTheConventionsLookedAt() {
        String trace = """
                {"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "%s", "spanId": "5000000000000001", "name": "run",
                  "attributes": [{"key": "input.value", "value": {"stringValue": "null"}}, {"key": "output.value", "value": {"stringValue": "null"}}],
                  "status": {"code": 1}}]}]}]}""".formatted(TRACE);

        NormalizedRun run = Normalizer.normalize(
                TraceSource.OTEL,
                TRACE,
                List.of(new Normalizer.Body("trace", trace.getBytes(StandardCharsets.UTF_8), false)),
                List.of(),
                Optional.empty());

        assertThat(run.field(EvidenceField.FINAL_OUTPUT).present()).isFalse();
        assertThat(run.field(EvidenceField.FINAL_OUTPUT).reason().orElseThrow())
                .contains("gen_ai.completion.N", "ai.response.text", "llm.output_messages.N", "JSON null");
        assertThat(run.field(EvidenceField.USER_INPUT).reason().orElseThrow())
                .contains("gen_ai.prompt.N", "gen_ai.content.prompt", "ai.prompt.messages", "llm.input_messages.N");
    }

    @Test
    void anErroredSpanWithOnlyAnHttpStatusSaysTheStatus() {
        String trace = """
                {"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "%s", "spanId": "6000000000000001", "name": "POST /v1/chat",
                  "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                 {"key": "http.response.status_code", "value": {"intValue": "503"}}],
                  "status": {"code": 2}}]}]}]}""".formatted(TRACE);

        NormalizedRun run = Normalizer.normalize(
                TraceSource.OTEL,
                TRACE,
                List.of(new Normalizer.Body("trace", trace.getBytes(StandardCharsets.UTF_8), false)),
                List.of(),
                Optional.empty());

        assertThat(present(run, EvidenceField.ERRORS).get(0).path("message").asText())
                .isEqualTo("HTTP 503");
        assertThat(run.suggestion().orElseThrow().reason())
                .isEqualTo("the model call \"POST /v1/chat\" failed: HTTP 503");
    }

    @Test
    void retrievalResultsKeptInTheRunsOutputsAreRetrievedSources() {
        String run = """
                {"id": "r1", "trace_id": "r1", "name": "rag", "run_type": "chain", "status": "success",
                 "inputs": {"question": "%s"},
                 "outputs": {"answer": "%s", "retrieved_chunks": [{"id": "kb-17", "text": "Orders ship in 2 days."}, {"id": "kb-3", "text": "Refunds"}]}}""".formatted(QUESTION, ANSWER);

        NormalizedRun normalized = Normalizer.normalize(
                TraceSource.LANGSMITH,
                "r1",
                List.of(new Normalizer.Body("run", run.getBytes(StandardCharsets.UTF_8), false)),
                List.of(),
                Optional.empty());

        JsonNode sources = present(normalized, EvidenceField.RETRIEVED_SOURCES);
        assertThat(sources).hasSize(1);
        assertThat(sources.get(0).path("documents_count").asInt()).isEqualTo(2);
        assertThat(sources.get(0).path("from").asText()).isEqualTo("runs[id=r1].outputs.retrieved_chunks");
        assertThat(sources.get(0).path("documents").toString()).contains("kb-17");
    }

    static JsonNode present(NormalizedRun run, EvidenceField field) {
        FieldValue value = run.field(field);
        assertThat(value.present())
                .as(field.key() + " present; reason: " + value.reason().orElse(""))
                .isTrue();
        return value.value();
    }
}
