package io.firebreak.bot.evidence;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.firebreak.bot.evidence.LangfuseEvidenceTest.assertMissingFields;
import static io.firebreak.bot.evidence.LangfuseEvidenceTest.assertPresent;
import static io.firebreak.bot.evidence.TraceBackends.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.TestBot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangSmith runs served by WireMock from LangSmith's own payloads: the run with {@code X-API-Key}, then its trace
 * tree through {@code POST /runs/query}, frozen as one snapshot of two raw parts and normalized field by field.
 */
class LangSmithEvidenceTest {
    static final String SAMPLE_RUNS = "reference/agent-traces/langsmith/sample_runs_flat.json";
    static final String WRAP_OPENAI = "reference/agent-traces/langsmith/langsmith_py_wrap_openai_.json";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static TraceBackends backends;
    static TestBot bot;

    @BeforeAll
    static void start() {
        backends = new TraceBackends();
        bot = TestBot.start(backends.langsmith());
    }

    @AfterAll
    static void stop() {
        bot.close();
        backends.close();
    }

    /** Answers {@code POST /runs/query} for {@code traceId} with {@code body}. */
    private static void tree(String traceId, byte[] body) {
        backends.wiremock()
                .stubFor(post("/runs/query")
                        .withRequestBody(matchingJsonPath("$.trace", equalTo(traceId)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(body)));
    }

    @Test
    void aRunAndItsTraceTreeAreFrozenAsTwoPartsAndReadAsOneTree() throws Exception {
        byte[] tree = TraceBackends.bytes(SAMPLE_RUNS);
        byte[] run = MAPPER.writeValueAsBytes(MAPPER.readTree(tree).path("runs").get(0));
        backends.serve("/runs/root-uuid-1234", run);
        tree("root-uuid-1234", tree);
        long incident = TraceBackends.openIncident(bot, "Epic chat agent looped for four minutes");

        String reply = bot.text(bot.command("run INC-" + incident + " root-uuid-1234"));

        assertThat(reply).contains("Attached run `root-uuid-1234` (LangSmith)");
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "root-uuid-1234")).isEqualTo("SUCCEEDED");
        backends.wiremock()
                .verify(getRequestedFor(urlEqualTo("/runs/root-uuid-1234"))
                        .withHeader("X-API-Key", equalTo(TraceBackends.LANGSMITH_API_KEY)));
        backends.wiremock()
                .verify(postRequestedFor(urlEqualTo("/runs/query"))
                        .withHeader("X-API-Key", equalTo(TraceBackends.LANGSMITH_API_KEY))
                        .withRequestBody(equalToJson("{\"trace\": \"root-uuid-1234\", \"limit\": 100}")));
        assertThat(TraceBackends.rawBody(bot, incident, "root-uuid-1234", 1, 1)).isEqualTo(run);
        assertThat(TraceBackends.rawBody(bot, incident, "root-uuid-1234", 1, 2)).isEqualTo(tree);
        byte[] both = new byte[run.length + tree.length];
        System.arraycopy(run, 0, both, 0, run.length);
        System.arraycopy(tree, 0, both, run.length, tree.length);
        assertThat(bot.string(
                        "select sha256 from evidence_snapshot s join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(TraceBackends.sha256(both));
        assertThat(bot.string(
                        "select string_agg(r.sha256 || ':' || r.url, ' ' order by r.part) from evidence_raw r join evidence_snapshot s "
                                + "on s.id = r.snapshot_id join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(TraceBackends.sha256(run) + ":" + backends.url() + "/runs/root-uuid-1234 "
                        + TraceBackends.sha256(tree) + ":" + backends.url() + "/runs/query");

        JsonNode n = backends.normalized(bot, incident, "root-uuid-1234", 1);
        assertThat(n.path("source").asText()).isEqualTo("LANGSMITH");
        assertPresent(n, "run_id", "run.id", "root-uuid-1234");
        assertMissingFields(n, "user_input", "agent_version");
        JsonNode root = field(n, "workflow_path").path("value").path("roots").get(0);
        assertThat(field(n, "workflow_path").path("value").path("steps").asInt())
                .isEqualTo(4);
        assertThat(root.path("name").asText()).isEqualTo("handleEpicChat");
        assertThat(root.path("children"))
                .extracting(c -> c.path("type").asText() + ":" + c.path("name").asText())
                .containsExactly("chain:generateEpicResponse", "tool:processToolCalls");
        assertThat(root.path("children")
                        .get(0)
                        .path("children")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("createStreamChat");
        assertMissingFields(n, "prompt_name", "prompt_version", "retrieved_sources");
        JsonNode tool = field(n, "tool_calls").path("value").get(0);
        assertThat(tool.path("tool").asText()).isEqualTo("processToolCalls");
        assertThat(tool.path("outcome").asText()).isEqualTo("succeeded, no response recorded");
        assertThat(tool.path("request").isNull()).isTrue();
        assertThat(tool.path("from").asText()).isEqualTo("runs[id=child-uuid-2]");
        assertMissingFields(n, "approval_decisions", "final_output");
        assertThat(field(n, "errors").path("status").asText()).isEqualTo("present");
        assertThat(field(n, "errors").path("value")).isEmpty();
        assertMissingFields(n, "user_report");

        String text = backends.blockText(TraceBackends.awaitThreadMessage(bot, "Evidence frozen", "root-uuid-1234"));
        assertThat(text)
                .contains("from LangSmith · snapshot 1")
                .contains("*Completeness*: 4 of 12 fields present")
                .contains("• `processToolCalls` → succeeded, no response recorded");
    }

    @Test
    void aWrappedOpenAiCallReadsItsVersionFromMetadataAndItsOutputFromTheRun() throws Exception {
        JsonNode ingest = MAPPER.readTree(TraceBackends.bytes(WRAP_OPENAI));
        ObjectNode merged = ((ObjectNode) ingest.path("post").get(0)).deepCopy();
        merged.setAll((ObjectNode) ingest.path("patch").get(0));
        byte[] run = MAPPER.writeValueAsBytes(merged);
        String runId = "d0d84d31-923d-4cb5-94a8-40a0a0087578";
        backends.serve("/runs/" + runId, run);
        tree(
                runId,
                ("{\"runs\": [" + new String(run, StandardCharsets.UTF_8) + "], \"cursors\": {}}")
                        .getBytes(StandardCharsets.UTF_8));
        long incident = TraceBackends.openIncident(bot, "Greeting bot answered in the wrong register");

        bot.command("run INC-" + incident + " " + runId + " langsmith");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        JsonNode n = backends.normalized(bot, incident, runId, 1);
        String where = "runs[id=" + runId + "]";
        assertPresent(n, "run_id", "run.id", runId);
        assertThat(field(n, "user_input").path("from").asText()).isEqualTo(where + ".inputs");
        assertThat(field(n, "user_input")
                        .path("value")
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo("howdy");
        assertPresent(n, "agent_version", where + ".extra.metadata.revision_id", "v0.1.82-381-g03d9e1a-dirty");
        JsonNode tree = field(n, "workflow_path").path("value");
        assertThat(tree.path("steps").asInt()).isEqualTo(1);
        assertThat(tree.path("roots").get(0).path("type").asText() + ":"
                        + tree.path("roots").get(0).path("name").asText())
                .isEqualTo("llm:ChatOpenAI");
        assertMissingFields(
                n, "prompt_name", "prompt_version", "retrieved_sources", "tool_calls", "approval_decisions");
        assertThat(field(n, "final_output").path("from").asText()).isEqualTo(where + ".outputs");
        assertThat(field(n, "final_output")
                        .path("value")
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("Howdy! How can I assist you today?");
        assertMissingFields(n, "errors", "user_report");
    }

    @Test
    void whenTheTraceTreeCannotBeLoadedTheRunAloneIsKeptWithANote() throws Exception {
        byte[] run = MAPPER.writeValueAsBytes(
                MAPPER.readTree(TraceBackends.bytes(SAMPLE_RUNS)).path("runs").get(0));
        String runId = "root-uuid-no-tree";
        backends.serve("/runs/" + runId, run);
        backends.wiremock()
                .stubFor(post("/runs/query")
                        .withRequestBody(matchingJsonPath("$.trace", equalTo("root-uuid-1234")))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withStatus(400)
                                .withBody("{\"detail\":\"project_id is required on this deployment\"}")));
        long incident = TraceBackends.openIncident(bot, "SmithDB-only deployment");

        bot.command("run INC-" + incident + " " + runId);

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        JsonNode n = backends.normalized(bot, incident, runId, 1);
        assertThat(n.path("notes").get(0).asText())
                .isEqualTo(
                        "the trace tree could not be loaded (request refused by LangSmith (400)); the run alone is kept");
        assertThat(field(n, "workflow_path").path("value").path("steps").asInt())
                .isEqualTo(1);
        assertThat(bot.count(
                        "select count(*) from evidence_raw r join evidence_snapshot s on s.id = r.snapshot_id "
                                + "join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(1);
        assertThat(backends.blockText(TraceBackends.awaitThreadMessage(bot, "Evidence frozen", runId)))
                .contains("the trace tree could not be loaded");
        backends.wiremock().resetMappings();
    }

    @Test
    void rejectedCredentialsSayToCheckTheApiKeyAndTheKeyNeverReachesTheTimeline() {
        backends.fail("/runs/run-forbidden", 403);
        long incident = TraceBackends.openIncident(bot, "LangSmith key expired");

        bot.command("run INC-" + incident + " run-forbidden");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-forbidden")).isEqualTo("FAILED");
        Map<String, String> message = TraceBackends.awaitThreadMessage(bot, "Could not fetch run", "run-forbidden");
        assertThat(backends.blockText(message))
                .contains("LangSmith rejected the credentials (403): check LANGSMITH_API_KEY");
        String timeline =
                bot.string("select string_agg(details::text, ' ') from timeline_event where incident_id = ?", incident);
        assertThat(timeline).contains("\"X-API-Key\":\"[REDACTED]\"").doesNotContain(TraceBackends.LANGSMITH_API_KEY);
        assertThat(bot.count(
                        "select count(*) from evidence_snapshot s join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isZero();
    }
}
