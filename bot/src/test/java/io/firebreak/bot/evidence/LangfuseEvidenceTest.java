package io.firebreak.bot.evidence;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.firebreak.bot.evidence.TraceBackends.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.TestBot;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Langfuse traces served by WireMock (Langfuse's own example payloads, and a public-API body built to its
 * openapi.yml), fetched with Basic auth, frozen byte for byte and normalized, field by field.
 */
class LangfuseEvidenceTest {
    static final String OPENAI_AGENTS = "reference/agent-traces/langfuse/openai-agents-2025-09-30.trace.json";
    static final String PYDANTIC_AI = "reference/agent-traces/langfuse/pydantic-ai-tools-2025-12-04.trace.json";
    static final String REFUND_AGENT = "evidence/langfuse-refund-agent.trace.json";
    static TraceBackends backends;
    static TestBot bot;

    @BeforeAll
    static void start() {
        backends = new TraceBackends();
        bot = TestBot.start(backends.langfuse());
    }

    @AfterAll
    static void stop() {
        bot.close();
        backends.close();
    }

    private static String basicAuth() {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((TraceBackends.LANGFUSE_PUBLIC_KEY + ":" + TraceBackends.LANGFUSE_SECRET_KEY)
                                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openAiAgentsTraceIsFrozenByteForByteAndEveryFieldSaysWhereItCameFrom() {
        byte[] payload = TraceBackends.bytes(OPENAI_AGENTS);
        String runId = "fee618f96dc31e0ca38b2f7b26eb8b29";
        backends.serve("/api/public/traces/" + runId, payload);
        long incident = TraceBackends.openIncident(bot, "Weather agent answered for the wrong city");

        String reply = bot.text(bot.command("run INC-" + incident + " " + runId));

        assertThat(reply)
                .contains("Attached run `" + runId + "` (Langfuse) to INC-" + incident)
                .contains("thread");
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        backends.wiremock()
                .verify(getRequestedFor(urlEqualTo("/api/public/traces/" + runId))
                        .withHeader("Authorization", equalTo(basicAuth())));
        Map<String, Object> snapshot = bot.db()
                .withHandle(h -> h.select(
                                "select s.seq, s.sha256, s.bytes, s.truncated, s.parse_status, "
                                        + "r.sha256 as part_sha, r.url, r.status, r.content_type from evidence_snapshot s join evidence_raw r on r.snapshot_id = s.id "
                                        + "join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                                incident)
                        .mapToMap()
                        .one());
        assertThat(TraceBackends.rawBody(bot, incident, runId, 1, 1)).isEqualTo(payload);
        assertThat(snapshot)
                .containsEntry("seq", 1)
                .containsEntry("sha256", TraceBackends.sha256(payload))
                .containsEntry("part_sha", TraceBackends.sha256(payload))
                .containsEntry("bytes", (long) payload.length)
                .containsEntry("truncated", false)
                .containsEntry("parse_status", "PARSED")
                .containsEntry("status", 200)
                .containsEntry("content_type", "application/json")
                .containsEntry("url", backends.url() + "/api/public/traces/" + runId);

        JsonNode n = backends.normalized(bot, incident, runId, 1);
        assertThat(n.path("source").asText()).isEqualTo("LANGFUSE");
        assertThat(n.path("parse_status").asText()).isEqualTo("PARSED");
        assertPresent(n, "run_id", "trace.id", runId);
        assertThat(field(n, "user_input").path("from").asText()).isEqualTo("observations[id=98870087af69bf06].input");
        assertThat(field(n, "user_input").path("value").get(0).path("content").asText())
                .isEqualTo("What's the weather in Tokyo?");
        assertMissingFields(n, "agent_version");
        JsonNode tree = field(n, "workflow_path").path("value");
        assertThat(tree.path("steps").asInt()).isEqualTo(5);
        JsonNode root = tree.path("roots").get(0);
        assertThat(root.path("name").asText()).isEqualTo("Agent workflow");
        JsonNode helloWorld = root.path("children").get(0);
        assertThat(helloWorld.path("name").asText()).isEqualTo("Hello world");
        assertThat(helloWorld.path("children"))
                .extracting(c -> c.path("type").asText() + ":" + c.path("id").asText())
                .containsExactly("GENERATION:98870087af69bf06", "TOOL:5b99c3e3411ed17b", "GENERATION:90d94774e8e3724d");
        assertMissingFields(n, "prompt_name", "prompt_version", "retrieved_sources");
        assertWeatherTool(field(n, "tool_calls").path("value"), "observations[id=5b99c3e3411ed17b]");
        assertMissingFields(n, "approval_decisions");
        assertThat(field(n, "final_output").path("from").asText())
                .isEqualTo("observations[id=90d94774e8e3724d].output");
        assertThat(field(n, "final_output")
                        .path("value")
                        .path("output")
                        .get(0)
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText())
                .startsWith("The weather in Tokyo is currently sunny.");
        assertThat(field(n, "errors").path("status").asText()).isEqualTo("present");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");
        assertThat(n.path("suggested_failure_point").isNull()).isTrue();

        Map<String, String> summary = TraceBackends.awaitThreadMessage(bot, "Evidence frozen", runId);
        assertThat(summary.get("thread_ts")).isEqualTo("1503435956.000247");
        assertThat(summary.get("channel")).isEqualTo("C123ABC456");
        String text = backends.blockText(summary);
        assertThat(text)
                .contains("*Evidence frozen* for run `" + runId + "` from Langfuse · snapshot 1 of INC-" + incident)
                .contains("*Completeness*: 6 of 12 fields present")
                .contains(":white_check_mark: run ID")
                .contains(":white_check_mark: workflow path (5 steps)")
                .contains(":x: agent version: missing (no version on the trace or its steps)")
                .contains(":x: prompt version: missing")
                .contains(":white_check_mark: tool requests and responses (1)")
                .contains(":white_check_mark: errors (none recorded)")
                .contains(":x: user report: missing")
                .contains("*Prompt*: name missing · version missing")
                .contains("*Tools called* (1)\n• `get_weather` → ok")
                .contains("*Errors*: none recorded")
                .contains("SHA-256 `" + TraceBackends.sha256(payload) + "`")
                .contains("`GET /api/incidents/INC-" + incident + "/runs/" + runId + "`");
        TraceBackends.await(
                "the card showing the snapshot",
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks").contains(runId)
                                && u.get("blocks").contains("snapshot 1")));
    }

    @Test
    void pydanticAiTraceReadsJsonInStringsAndToolCallsFromMessages() {
        byte[] payload = TraceBackends.bytes(PYDANTIC_AI);
        String runId = "7a38edd8123db47ad8dcb8aa4c5e3926";
        backends.serve("/api/public/traces/" + runId, payload);
        long incident = TraceBackends.openIncident(bot, "Joke agent told an off-topic joke");

        bot.command("run INC-" + incident + " " + runId + " langfuse");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        JsonNode n = backends.normalized(bot, incident, runId, 1);
        assertPresent(n, "run_id", "trace.id", runId);
        assertThat(field(n, "user_input").path("from").asText()).isEqualTo("trace.input");
        assertThat(field(n, "user_input").path("value").path("args").get(0).asText())
                .isEqualTo("programming");
        assertMissingFields(n, "agent_version");
        JsonNode tree = field(n, "workflow_path").path("value");
        assertThat(tree.path("steps").asInt()).isEqualTo(12);
        assertThat(tree.path("roots")).hasSize(1);
        assertThat(tree.path("roots").get(0).path("name").asText()).isEqualTo("run_joke_generator");
        assertThat(tree.path("roots").get(0).path("children"))
                .extracting(c -> c.path("name").asText())
                .containsExactly("joke_agent run", "joke_agent run", "evaluator_agent run");
        assertMissingFields(n, "prompt_name", "prompt_version", "retrieved_sources");
        JsonNode tools = field(n, "tool_calls").path("value");
        assertThat(tools)
                .extracting(t -> t.path("tool").asText() + "/"
                        + t.path("call_id").asText() + "/" + t.path("outcome").asText())
                .containsExactly(
                        "get_pun_suggestion/call_X0OSgjUukT5inyEQvuZQnHrk/ok",
                        "get_dad_joke_suggestion/call_WxZcCvSDhGT4RJHlcU01k10x/ok",
                        "get_one_liner_suggestion/call_aRaObiWKKt6GzgDkkUl3bu1Q/ok");
        // The evaluator's final_result call is pydantic-ai's structured answer (an output tool, named in its
        // model_request_parameters), not a tool that ran: it is not listed as a call without a response.
        assertThat(tools.get(0).path("request").path("topic").asText()).isEqualTo("programming");
        assertThat(tools.get(0).path("response").asText()).startsWith("Pun idea: Play on words");
        assertThat(tools.get(0).path("from").asText()).isEqualTo("observations[id=99ec63d0b5ecdbf5]");
        assertMissingFields(n, "approval_decisions");
        assertPresent(n, "final_output", "trace.output", "Why do programmers hate nature?  \nIt has too many bugs!");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");
    }

    @Test
    void publicApiTraceWithAFailedToolCallShowsPromptApprovalErrorsAndASuggestionButNeverSetsIt() {
        byte[] payload = TraceBackends.bytes(REFUND_AGENT);
        String runId = "7f3c2a9e4b1d4c8e9a0b1c2d3e4f5a6b";
        backends.serve("/api/public/traces/" + runId, payload);
        long incident = TraceBackends.openIncident(bot, "Refund agent refunded a negative amount");

        bot.command("run INC-" + incident + " " + runId);

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        JsonNode n = backends.normalized(bot, incident, runId, 1);
        assertPresent(n, "run_id", "id", runId);
        assertThat(field(n, "user_input").path("from").asText()).isEqualTo("input");
        assertThat(field(n, "user_input").path("value").path("message").asText())
                .startsWith("I was charged twice for order 4411");
        assertPresent(n, "agent_version", "version", "refund-agent@3.4.1");
        JsonNode root = field(n, "workflow_path").path("value").path("roots").get(0);
        assertThat(root.path("name").asText()).isEqualTo("refund-agent");
        assertThat(root.path("children"))
                .extracting(
                        c -> c.path("name").asText() + ":" + c.path("status").asText())
                .containsExactly(
                        "refund-policy-search:ok",
                        "plan-refund:ok",
                        "approval: issue_refund:ok",
                        "issue_refund:error",
                        "answer:ok");
        assertPresent(n, "prompt_name", "observations[id=obs-plan].promptName", "refund-triage");
        assertPresent(n, "prompt_version", "observations[id=obs-plan].promptVersion", "7");
        JsonNode retrieval = field(n, "retrieved_sources").path("value").get(0);
        assertThat(retrieval.path("step").asText()).isEqualTo("refund-policy-search");
        assertThat(retrieval.path("query").path("query").asText()).isEqualTo("double charge refund policy");
        assertThat(retrieval.path("documents_count").asInt()).isZero();
        assertThat(retrieval.path("from").asText()).isEqualTo("observations[id=obs-search].output");
        JsonNode tools = field(n, "tool_calls").path("value");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).path("tool").asText()).isEqualTo("issue_refund");
        assertThat(tools.get(0).path("request").path("amount").asDouble()).isEqualTo(-42.0);
        assertThat(tools.get(0).path("response").path("error").asText()).isEqualTo("amount must be positive");
        assertThat(tools.get(0).path("outcome").asText()).isEqualTo("error");
        assertThat(tools.get(0).path("error").asText()).startsWith("ValidationError: amount must be positive");
        JsonNode approval = field(n, "approval_decisions").path("value").get(0);
        assertThat(approval.path("decision").asText()).isEqualTo("approved");
        assertThat(approval.path("approver").asText()).isEqualTo("U024BE7LH");
        assertThat(approval.path("action").asText()).isEqualTo("issue_refund");
        assertThat(approval.path("reason").asText()).isEqualTo("customer identity verified");
        assertThat(approval.path("from").asText())
                .isEqualTo("observations[id=obs-approval].metadata[approval.decision]");
        assertThat(field(n, "final_output").path("from").asText()).isEqualTo("output");
        assertThat(field(n, "final_output").path("value").path("message").asText())
                .contains("-42.00 EUR");
        JsonNode errors = field(n, "errors").path("value");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("step").asText()).isEqualTo("issue_refund");
        assertThat(errors.get(0).path("from").asText())
                .isEqualTo("observations[id=obs-refund].level and .statusMessage");
        assertMissingFields(n, "user_report");
        assertThat(n.path("suggested_failure_point").path("point").asText()).isEqualTo("TOOL_VALIDATION");
        assertThat(n.path("suggested_failure_point").path("from").asText()).isEqualTo("observations[id=obs-refund]");

        Map<String, String> summary = TraceBackends.awaitThreadMessage(bot, "Evidence frozen", runId);
        String text = backends.blockText(summary);
        assertThat(text)
                .contains("*Completeness*: 11 of 12 fields present")
                .contains("*Prompt*: `refund-triage` · version `7`")
                .contains("• `issue_refund` → :x: error: ValidationError: amount must be positive")
                .contains("*Errors* (1)\n• `issue_refund`: ValidationError")
                .contains(
                        "*Approval decisions* (1)\n• approved for `issue_refund` by U024BE7LH: customer identity verified")
                .contains(":bulb: *Suggested failure point*: `TOOL_VALIDATION`")
                .contains("Not set: a responder decides");
        assertThat(summary.get("blocks")).contains("[REDACTED]").doesNotContain("sk_live_51HqLyjWDarjtT1zdp7dcXYZ");
        assertThat(bot.count("select count(*) from failure_point")).isZero();
        TraceBackends.await(
                "the card suggesting the failure point",
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks")
                                .contains("*Failure point*: not set · the evidence suggests `TOOL_VALIDATION`")));
    }

    @Test
    void whereTheV1TraceEndpointIsGoneTheV2ObservationsApiIsRead() {
        byte[] fixture = TraceBackends.bytes(OPENAI_AGENTS);
        ObjectNode page = backends.json(fixture).deepCopy();
        ObjectNode v2 = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        v2.set("data", (ArrayNode) page.get("observations"));
        v2.putObject("meta");
        byte[] body = v2.toString().getBytes(StandardCharsets.UTF_8);
        String runId = "fee618f96dc31e0ca38b2f7b26eb8b29";
        long incident = TraceBackends.openIncident(bot, "Weather agent on Langfuse v4");
        backends.wiremock()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/api/public/traces/v4-" + runId)
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(404)
                                .withBody("{\"error\":\"LangfuseNotFoundError\",\"message\":\"Trace not found\"}")));
        backends.wiremock()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                                urlPathEqualTo("/api/public/v2/observations"))
                        .withQueryParam("traceId", equalTo("v4-" + runId))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                                new String(body, StandardCharsets.UTF_8))));

        bot.command("run INC-" + incident + " v4-" + runId);

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "v4-" + runId)).isEqualTo("SUCCEEDED");
        backends.wiremock()
                .verify(getRequestedFor(urlPathEqualTo("/api/public/v2/observations"))
                        .withQueryParam("fields", equalTo(LangfuseClient.V2_FIELDS))
                        .withQueryParam("limit", equalTo("1000"))
                        .withHeader("Authorization", equalTo(basicAuth())));
        JsonNode n = backends.normalized(bot, incident, "v4-" + runId, 1);
        assertThat(n.path("notes").get(0).asText())
                .isEqualTo("read through Langfuse's v2 observations API: the v1 trace endpoint answered 404");
        assertPresent(n, "run_id", "observations[id=e5a76f27f51ad40e].traceId", runId);
        assertThat(field(n, "user_input").path("from").asText()).isEqualTo("observations[id=98870087af69bf06].input");
        assertMissingFields(n, "agent_version");
        assertThat(field(n, "workflow_path").path("value").path("steps").asInt())
                .isEqualTo(5);
        assertMissingFields(n, "prompt_name", "prompt_version", "retrieved_sources");
        assertThat(field(n, "tool_calls").path("value").get(0).path("tool").asText())
                .isEqualTo("get_weather");
        assertMissingFields(n, "approval_decisions");
        assertThat(field(n, "final_output").path("from").asText())
                .isEqualTo("observations[id=90d94774e8e3724d].output");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");
        assertThat(TraceBackends.rawBody(bot, incident, "v4-" + runId, 1, 1)).isEqualTo(body);
        String exchanges = bot.string(
                "select details::text from timeline_event where incident_id = ? and kind = 'evidence_frozen'",
                incident);
        assertThat(exchanges)
                .contains("\"outcome\":\"NOT_FOUND\"")
                .contains("Trace not found")
                .contains("\"outcome\":\"NONE\"")
                .contains("\"body_stored_as\":\"evidence snapshot 1, part 1\"");
    }

    @Test
    void anUnknownRunIsNotFoundInLangfuseAndLeavesNoEvidenceRow() {
        long incident = TraceBackends.openIncident(bot, "Agent run that never existed");
        backends.fail("/api/public/traces/no-such-run", 404);
        backends.wiremock()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                                urlPathEqualTo("/api/public/v2/observations"))
                        .withQueryParam("traceId", equalTo("no-such-run"))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(404)
                                .withBody("{\"message\":\"only available in a Langfuse v4 write mode\"}")));

        bot.command("run INC-" + incident + " no-such-run");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "no-such-run")).isEqualTo("FAILED");
        Map<String, String> message = TraceBackends.awaitThreadMessage(bot, "Could not fetch run", "no-such-run");
        assertThat(backends.blockText(message))
                .contains("run no-such-run not found in Langfuse")
                .contains("Nothing was stored")
                .contains("`/incident run INC-" + incident + " no-such-run langfuse`");
        assertThat(bot.count(
                        "select count(*) from evidence_snapshot s join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isZero();
        assertThat(bot.count(
                        "select count(*) from evidence_raw r join evidence_snapshot s on s.id = r.snapshot_id "
                                + "join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isZero();
        assertThat(bot.string(
                        "select last_problem from evidence_fetch f join run_attachment a on a.id = f.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo("run no-such-run not found in Langfuse");
        assertThat(bot.string(
                        "select details->>'text' from timeline_event where incident_id = ? and kind = 'evidence_fetch_failed'",
                        incident))
                .isEqualTo("run no-such-run not found in Langfuse");
    }

    @Test
    void rejectedCredentialsSayWhichVariablesToCheckAndNeverShowTheSecret() {
        long incident = TraceBackends.openIncident(bot, "Langfuse keys were rotated");
        backends.fail("/api/public/traces/run-401", 401);

        bot.command("run INC-" + incident + " run-401");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-401")).isEqualTo("FAILED");
        Map<String, String> message = TraceBackends.awaitThreadMessage(bot, "Could not fetch run", "run-401");
        assertThat(backends.blockText(message))
                .contains("Langfuse rejected the credentials (401): check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY");
        String timeline =
                bot.string("select string_agg(details::text, ' ') from timeline_event where incident_id = ?", incident);
        assertThat(timeline)
                .contains("\"Authorization\":\"[REDACTED]\"")
                .contains("\"status\":401")
                .doesNotContain(TraceBackends.LANGFUSE_SECRET_KEY)
                .doesNotContain(TraceBackends.LANGFUSE_PUBLIC_KEY)
                .doesNotContain(basicAuth().substring(6));
        assertThat(bot.count("select count(*) from evidence_snapshot"))
                .isEqualTo(bot.count("select count(*) from evidence_fetch where state = 'SUCCEEDED'"));
    }

    static void assertPresent(JsonNode normalized, String key, String from, String value) {
        JsonNode field = field(normalized, key);
        assertThat(field.path("status").asText()).as(key).isEqualTo("present");
        assertThat(field.path("from").asText()).as(key + " from").isEqualTo(from);
        assertThat(field.path("value").asText()).as(key + " value").isEqualTo(value);
    }

    /** Why each field is missing when a trace simply does not carry it. */
    static final Map<String, String> WHY_MISSING = Map.of(
            "user_input", "no input on the trace, its root step or any model call",
            "agent_version", "no version on the trace or its steps",
            "prompt_name", "no step names its prompt",
            "prompt_version", "no step records its prompt version",
            "retrieved_sources", "no retrieval step in the trace",
            "tool_calls", "no tool calls in the trace",
            "approval_decisions", "no approval decision in the trace: agents record one as approval.decision",
            "final_output", "no output on the trace, its root step or any model call",
            "errors", "the steps do not record whether they failed",
            "user_report", "no user report is linked to this run");

    /** Each of {@code keys} is missing for the usual reason: the trace does not carry it. */
    static void assertMissingFields(JsonNode normalized, String... keys) {
        for (String key : keys) {
            assertMissing(normalized, key, WHY_MISSING.get(key));
        }
    }

    /** The get_weather call of the OpenAI Agents example run. */
    static void assertWeatherTool(JsonNode tools, String from) {
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).path("tool").asText()).isEqualTo("get_weather");
        assertThat(tools.get(0).path("request").path("city").asText()).isEqualTo("Tokyo");
        assertThat(tools.get(0).path("response").asText()).isEqualTo("The weather in Tokyo is sunny.");
        assertThat(tools.get(0).path("outcome").asText()).isEqualTo("ok");
        assertThat(tools.get(0).path("from").asText()).isEqualTo(from);
    }

    static void assertMissing(JsonNode normalized, String key, String reason) {
        JsonNode field = field(normalized, key);
        assertThat(field.path("status").asText()).as(key).isEqualTo("missing");
        assertThat(field.path("reason").asText()).as(key + " reason").contains(reason);
        assertThat(field.has("value")).as(key + " has no value").isFalse();
    }
}
