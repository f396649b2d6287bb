package io.firebreak.bot.evidence;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.firebreak.bot.evidence.LangfuseEvidenceTest.assertMissing;
import static io.firebreak.bot.evidence.LangfuseEvidenceTest.assertMissingFields;
import static io.firebreak.bot.evidence.LangfuseEvidenceTest.assertPresent;
import static io.firebreak.bot.evidence.LangfuseEvidenceTest.assertWeatherTool;
import static io.firebreak.bot.evidence.TraceBackends.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.TestBot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry traces as Jaeger and Grafana Tempo return them, served by WireMock with the headers of
 * OTEL_TRACES_HEADERS: Jaeger's API v3 and UI JSON and Tempo's v1 examples from their repositories, and traces
 * carrying real OpenInference and GenAI semantic-convention attributes.
 */
class OtelEvidenceTest {
    static final String TRACES = "/api/v2/traces/";
    static TraceBackends backends;
    static TestBot bot;

    @BeforeAll
    static void start() {
        backends = new TraceBackends();
        bot = TestBot.start(backends.otel(TRACES + "{traceId}"));
    }

    @AfterAll
    static void stop() {
        bot.close();
        backends.close();
    }

    private static JsonNode freeze(String resource, String traceId, String title) {
        backends.serve(TRACES + traceId, TraceBackends.bytes(resource));
        long incident = TraceBackends.openIncident(bot, title);
        String reply = bot.text(bot.command("run INC-" + incident + " " + traceId));
        assertThat(reply).contains("(OpenTelemetry)");
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, traceId)).isEqualTo("SUCCEEDED");
        assertThat(TraceBackends.rawBody(bot, incident, traceId, 1, 1)).isEqualTo(TraceBackends.bytes(resource));
        return backends.normalized(bot, incident, traceId, 1);
    }

    @Test
    void jaegerApiV3TraceIsFetchedWithTheConfiguredHeadersAndItsFailedSpanIsAnError() {
        String traceId = "00000000000000000000000000000001";

        JsonNode n =
                freeze("reference/agent-traces/jaeger/apiv3-GetTrace.snapshot.json", traceId, "Span failed in Jaeger");

        backends.wiremock()
                .verify(getRequestedFor(urlEqualTo(TRACES + traceId))
                        .withHeader("X-Scope-OrgID", equalTo(TraceBackends.TEMPO_TENANT))
                        .withHeader("Authorization", equalTo("Bearer " + TraceBackends.OTEL_TOKEN))
                        .withHeader("Accept", equalTo("application/json")));
        assertThat(n.path("source").asText()).isEqualTo("OTEL");
        assertPresent(n, "run_id", "spans[0].traceId", traceId);
        assertMissingFields(n, "user_input", "agent_version");
        JsonNode root = field(n, "workflow_path").path("value").path("roots").get(0);
        assertThat(root.path("name").asText() + ":" + root.path("status").asText())
                .isEqualTo("foobar:error");
        assertMissingFields(n, "prompt_name");
        assertMissing(n, "prompt_version", "OpenTelemetry GenAI has no prompt-version attribute");
        assertMissingFields(n, "retrieved_sources", "tool_calls", "approval_decisions", "final_output");
        JsonNode error = field(n, "errors").path("value").get(0);
        assertThat(error.path("step").asText()).isEqualTo("foobar");
        assertThat(error.path("from").asText()).isEqualTo("spans[spanId=0000000000000002].status");
        assertMissingFields(n, "user_report");
        assertThat(n.path("suggested_failure_point").isNull()).isTrue();
        String timeline = bot.string(
                "select string_agg(details::text, ' ') from timeline_event where kind = 'evidence_frozen' "
                        + "and details->>'run_id' = ?",
                traceId);
        assertThat(timeline)
                .contains("\"Authorization\":\"[REDACTED]\"")
                .contains("\"X-Scope-OrgID\":\"[REDACTED]\"")
                .doesNotContain(TraceBackends.OTEL_TOKEN)
                .doesNotContain(TraceBackends.TEMPO_TENANT);
    }

    @Test
    void jaegerUiJsonIsReadWithTagsReferencesAndDuplicateSpanIds() {
        JsonNode n = freeze("reference/agent-traces/jaeger/ui_01.json", "0000000000000001", "Legacy Jaeger trace");

        assertPresent(n, "run_id", "spans[0].traceId", "0000000000000001");
        assertMissingFields(n, "user_input", "agent_version");
        JsonNode tree = field(n, "workflow_path").path("value");
        assertThat(tree.path("steps").asInt()).isEqualTo(5);
        assertThat(tree.path("roots"))
                .extracting(r -> r.path("name").asText())
                .containsExactly("test-general-conversion", "some-operation");
        assertThat(tree.path("roots").get(0).path("children"))
                .extracting(c -> c.path("name").asText())
                .containsExactly("some-operation", "reference-test");
        assertThat(tree.path("roots")
                        .get(0)
                        .path("children")
                        .get(1)
                        .path("children")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("preserveParentID-test");
        assertMissingFields(
                n,
                "prompt_name",
                "prompt_version",
                "retrieved_sources",
                "tool_calls",
                "approval_decisions",
                "final_output");
        JsonNode errors = field(n, "errors").path("value");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("step").asText()).isEqualTo("some-operation");
        assertThat(errors.get(0).path("from").asText()).isEqualTo("spans[spanID=0000000000000002].tags[error]");
        assertMissingFields(n, "user_report");
    }

    @Test
    void tempoV1BatchesAreReadAsOtlp() {
        JsonNode n = freeze(
                "reference/agent-traces/tempo/trace-v1-batches.json",
                "5B8EFFF798038103D269B633813FC60C",
                "Tempo trace");

        assertPresent(n, "run_id", "spans[0].traceId", "5B8EFFF798038103D269B633813FC60C");
        assertMissingFields(n, "user_input", "agent_version");
        JsonNode root = field(n, "workflow_path").path("value").path("roots").get(0);
        assertThat(root.path("id").asText() + ":" + root.path("name").asText() + ":"
                        + root.path("status").asText())
                .isEqualTo("EEE19B7EC3C1B174:I'm a server span:ok");
        assertMissingFields(
                n,
                "prompt_name",
                "prompt_version",
                "retrieved_sources",
                "tool_calls",
                "approval_decisions",
                "final_output");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");
    }

    @Test
    void tempoAnsweringWithBase64IdsFreezesTheRunUnderTheHexIdTyped() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        JsonNode n = freeze("evidence/conventions/tempo-base64-ids.trace.json", traceId, "Tempo with base64 IDs");

        assertPresent(n, "run_id", "spans[0].traceId", traceId);
        JsonNode root = field(n, "workflow_path").path("value").path("roots").get(0);
        assertThat(root.path("id").asText()).isEqualTo("2000000000000001");
        assertThat(root.path("children").get(0).path("id").asText()).isEqualTo("2000000000000002");
        assertThat(field(n, "final_output").path("value").toString()).contains("Your order 1234 shipped yesterday");
    }

    @Test
    void openInferenceAttributesOnJaegerSpansGiveInputToolsAndOutput() {
        String traceId = "fee618f96dc31e0ca38b2f7b26eb8b29";

        JsonNode n = freeze(
                "evidence/openinference-jaeger-v3.trace.json", traceId, "Weather agent traced with OpenInference");

        assertPresent(n, "run_id", "spans[0].traceId", traceId);
        assertThat(field(n, "user_input").path("from").asText())
                .isEqualTo("spans[spanId=98870087af69bf06].attributes[input.value]");
        assertThat(field(n, "user_input").path("value").get(0).path("content").asText())
                .isEqualTo("What's the weather in Tokyo?");
        assertMissingFields(n, "agent_version");
        JsonNode hello = field(n, "workflow_path")
                .path("value")
                .path("roots")
                .get(0)
                .path("children")
                .get(0);
        assertThat(hello.path("children"))
                .extracting(c -> c.path("type").asText() + ":" + c.path("name").asText())
                .containsExactly("LLM:response", "TOOL:get_weather", "LLM:response");
        assertMissingFields(n, "prompt_name", "prompt_version", "retrieved_sources");
        assertWeatherTool(field(n, "tool_calls").path("value"), "spans[spanId=5b99c3e3411ed17b]");
        assertMissingFields(n, "approval_decisions");
        assertThat(field(n, "final_output").path("from").asText())
                .isEqualTo("spans[spanId=90d94774e8e3724d].attributes[output.value]");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");
    }

    @Test
    void genAiSemanticConventionsGiveVersionPromptToolsApprovalAndAnEmptyRetrieval() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        JsonNode n = freeze("evidence/genai-tempo-v2.trace.json", traceId, "Weather alert sent without a forecast");

        String root = "spans[spanId=a1b2c3d4e5f60001]";
        assertPresent(n, "run_id", "spans[0].traceId", traceId);
        assertThat(field(n, "user_input").path("from").asText())
                .isEqualTo("spans[spanId=a1b2c3d4e5f60002].attributes[gen_ai.input.messages]");
        assertThat(field(n, "user_input")
                        .path("value")
                        .get(0)
                        .path("parts")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo("Weather in Paris?");
        assertPresent(n, "agent_version", root + ".attributes[gen_ai.agent.version]", "2.3.0");
        assertThat(field(n, "workflow_path").path("value").path("roots").get(0).path("children"))
                .extracting(c -> c.path("type").asText())
                .containsExactly("chat", "retrieval", "execute_tool", "chat");
        assertPresent(n, "prompt_name", root + ".attributes[gen_ai.prompt.name]", "weather-assistant-system");
        assertMissing(n, "prompt_version", "OpenTelemetry GenAI has no prompt-version attribute");
        JsonNode retrieval = field(n, "retrieved_sources").path("value").get(0);
        assertThat(retrieval.path("query").asText()).isEqualTo("Paris weather");
        assertThat(retrieval.path("documents_count").asInt()).isZero();
        assertThat(retrieval.path("from").asText())
                .isEqualTo("spans[spanId=a1b2c3d4e5f60003].attributes[gen_ai.retrieval.documents]");
        JsonNode tools = field(n, "tool_calls").path("value");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).path("tool").asText() + ":"
                        + tools.get(0).path("call_id").asText())
                .isEqualTo("get_weather:call_VSPygqKTWdrhaFErNvMV18Yl");
        assertThat(tools.get(0).path("request").path("location").asText()).isEqualTo("Paris");
        assertThat(tools.get(0).path("response").asText()).isEqualTo("rainy, 57°F");
        JsonNode approval = field(n, "approval_decisions").path("value").get(0);
        assertThat(approval.path("decision").asText()).isEqualTo("rejected");
        assertThat(approval.path("approver").asText()).isEqualTo("U024BE7LH");
        assertThat(approval.path("action").asText()).isEqualTo("send_weather_alert");
        assertThat(approval.path("from").asText()).isEqualTo(root + ".events[0]");
        assertThat(field(n, "final_output").path("from").asText())
                .isEqualTo("spans[spanId=a1b2c3d4e5f60005].attributes[gen_ai.output.messages]");
        assertThat(field(n, "final_output")
                        .path("value")
                        .get(0)
                        .path("parts")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo("The weather in Paris is currently rainy with a temperature of 57°F.");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");
        assertThat(n.path("suggested_failure_point").path("point").asText()).isEqualTo("RETRIEVAL");

        String text = backends.blockText(TraceBackends.awaitThreadMessage(bot, "Evidence frozen", traceId));
        assertThat(text)
                .contains("*Prompt*: `weather-assistant-system` · version missing")
                .contains(
                        "• rejected for `send_weather_alert` by U024BE7LH: alerts need a forecast, not a current reading")
                .contains("`RETRIEVAL`: the retrieval step \"retrieval city-facts\" returned no documents"
                        .replace("\"", "&quot;")
                        .replace("&quot;", "\""));
    }

    @Test
    void withoutATraceIdPlaceholderTheIdIsAppendedToTheUrl() {
        try (TraceBackends jaeger = new TraceBackends();
                TestBot other = TestBot.start(jaeger.otel("/api/v3/traces/"))) {
            jaeger.serve(
                    "/api/v3/traces/00000000000000000000000000000001",
                    TraceBackends.bytes("reference/agent-traces/jaeger/apiv3-GetTrace.snapshot.json"));
            long incident = TraceBackends.openIncident(other, "Jaeger with the v3 API");

            other.command("run INC-" + incident + " 00000000000000000000000000000001 otel");

            assertThat(TraceBackends.awaitFetchEnd(other, incident, "00000000000000000000000000000001"))
                    .isEqualTo("SUCCEEDED");
            jaeger.wiremock().verify(getRequestedFor(urlEqualTo("/api/v3/traces/00000000000000000000000000000001")));
        }
    }
}
