package io.firebreak.bot.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evidence is immutable: fetching a run again adds a snapshot beside the old ones and says what changed; the
 * database refuses to change or delete a snapshot; the read API serves raw and normalized forms, and the raw
 * bytes hash to the stored SHA-256.
 */
class EvidenceSnapshotsTest {
    static final String RUN = "fee618f96dc31e0ca38b2f7b26eb8b29";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static TraceBackends backends;
    static TestBot bot;

    @BeforeAll
    static void start() {
        backends = new TraceBackends();
        bot = TestBot.start(backends.langfuse("FIREBREAK_PUBLIC_URL", "https://firebreak.example.com/"));
    }

    @AfterAll
    static void stop() {
        bot.close();
        backends.close();
    }

    private static Map<String, Object> snapshotRow(long incident, int seq) {
        return bot.db()
                .withHandle(h -> h.select(
                                "select s.*, r.body, r.sha256 as part_sha from evidence_snapshot s "
                                        + "join evidence_raw r on r.snapshot_id = s.id join run_attachment a on a.id = s.attachment_id "
                                        + "where a.incident_id = ? and s.seq = ?",
                                incident,
                                seq)
                        .mapToMap()
                        .one());
    }

    @Test
    void fetchingAgainAddsASnapshotBesideTheFirstAndSaysWhatChanged() throws Exception {
        byte[] first = TraceBackends.bytes(LangfuseEvidenceTest.OPENAI_AGENTS);
        backends.serve("/api/public/traces/" + RUN, first);
        long incident = TraceBackends.openIncident(bot, "Weather agent, fetched twice");
        bot.command("run INC-" + incident + " " + RUN);
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, RUN)).isEqualTo("SUCCEEDED");
        Map<String, Object> before = snapshotRow(incident, 1);

        ObjectNode changed = (ObjectNode) MAPPER.readTree(first);
        ((ObjectNode) changed.get("trace")).put("version", "weather-agent@1.1.0");
        byte[] second = MAPPER.writeValueAsBytes(changed);
        backends.serve("/api/public/traces/" + RUN, second);
        String reply = bot.text(bot.command("run INC-" + incident + " " + RUN));

        assertThat(reply)
                .contains("Fetching run `" + RUN + "` from Langfuse again for INC-" + incident
                        + ": if it changed it becomes snapshot 2, beside the 1 kept");
        TraceBackends.await(
                "snapshot 2",
                () -> bot.count(
                                "select count(*) from evidence_snapshot s join run_attachment a "
                                        + "on a.id = s.attachment_id where a.incident_id = ?",
                                incident)
                        == 2);
        Map<String, Object> after = snapshotRow(incident, 1);
        assertThat((byte[]) after.remove("body"))
                .isEqualTo((byte[]) before.remove("body"))
                .isEqualTo(first);
        assertThat(after).isEqualTo(before);
        Map<String, Object> two = snapshotRow(incident, 2);
        assertThat(two.get("body")).isEqualTo(second);
        assertThat(two.get("sha256")).isEqualTo(TraceBackends.sha256(second)).isNotEqualTo(before.get("sha256"));
        JsonNode changes = backends.json(bot.string(
                "select s.changes::text from evidence_snapshot s join run_attachment a "
                        + "on a.id = s.attachment_id where a.incident_id = ? and s.seq = 2",
                incident));
        assertThat(changes.path("previous_snapshot").asInt()).isEqualTo(1);
        assertThat(changes.path("raw_identical").asBoolean()).isFalse();
        assertThat(changes.path("fields")).hasSize(1);
        assertThat(changes.path("fields").get(0).path("field").asText()).isEqualTo("agent_version");
        assertThat(changes.path("summary").asText())
                .isEqualTo("since snapshot 1: agent version missing → \"weather-agent@1.1.0\"");
        String text = backends.blockText(
                TraceBackends.awaitThreadMessage(bot, "Evidence frozen", RUN, "(INC-" + incident + "): 7 of 12"));
        assertThat(text)
                .contains("snapshot 2 of INC-" + incident)
                .contains(
                        ":arrows_counterclockwise: *Changes* since snapshot 1: agent version missing → &quot;weather-agent@1.1.0&quot;"
                                .replace("&quot;", "\""));

        long rawBefore = bot.count("select count(*) from evidence_raw");
        bot.command("run INC-" + incident + " " + RUN);
        String recheck = backends.blockText(TraceBackends.awaitThreadMessage(bot, "Re-checked", RUN));
        assertThat(recheck)
                .contains("unchanged since snapshot 2 (same SHA-256 `"
                        + TraceBackends.sha256(second).substring(0, 12))
                .contains("nothing new was stored");
        assertThat(bot.count(
                        "select count(*) from evidence_snapshot s join run_attachment a "
                                + "on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(2);
        assertThat(bot.count("select count(*) from evidence_raw")).isEqualTo(rawBefore);
        assertThat(bot.string(
                        "select details->>'text' from timeline_event where incident_id = ? and kind = 'evidence_rechecked'",
                        incident))
                .isEqualTo("re-checked: unchanged since snapshot 2 (same SHA-256 "
                        + TraceBackends.sha256(second).substring(0, 12) + "…); nothing new stored");
        assertThat(bot.string(
                        "select f.state || ':' || f.unchanged_since from evidence_fetch f join run_attachment a "
                                + "on a.id = f.attachment_id where a.incident_id = ? order by f.id desc limit 1",
                        incident))
                .isEqualTo("SUCCEEDED:2");
    }

    @Test
    void theDatabaseRefusesToRewriteOrDeleteEvidence() {
        backends.serve(
                "/api/public/traces/run-immutable",
                TraceBackends.bytes("reference/agent-traces/tempo/trace-v1-batches.json"));
        long incident = TraceBackends.openIncident(bot, "Someone tries to edit the evidence");
        bot.command("run INC-" + incident + " run-immutable");
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-immutable")).isEqualTo("SUCCEEDED");

        for (String sql : List.of(
                "update evidence_raw set body = 'rewritten'::bytea",
                "update evidence_snapshot set normalized = '{}'::json",
                "update evidence_snapshot set sha256 = repeat('0', 64)",
                "delete from evidence_raw",
                "delete from evidence_snapshot",
                "truncate evidence_raw",
                "truncate evidence_snapshot cascade")) {
            assertThatThrownBy(() -> bot.db().useHandle(h -> h.execute(sql)))
                    .as(sql)
                    .isInstanceOf(UnableToExecuteStatementException.class)
                    .hasMessageContaining("is immutable evidence");
        }
        assertThat(TraceBackends.rawBody(bot, incident, "run-immutable", 1, 1))
                .isEqualTo(TraceBackends.bytes("reference/agent-traces/tempo/trace-v1-batches.json"));
    }

    @Test
    void theReadApiServesRawAndNormalizedEvidenceAndTheSlackLinkPointsAtIt() throws Exception {
        byte[] payload = TraceBackends.bytes(LangfuseEvidenceTest.REFUND_AGENT);
        String runId = "7f3c2a9e4b1d4c8e9a0b1c2d3e4f5a6b";
        backends.serve("/api/public/traces/" + runId, payload);
        long incident = TraceBackends.openIncident(bot, "Refund agent, read through the API");
        bot.command("run INC-" + incident + " " + runId);
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        String path = "/api/incidents/INC-" + incident + "/runs/" + runId;

        HttpResponse<String> response = bot.api(path);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = bot.json(response);
        assertThat(body.path("incident").asText()).isEqualTo("INC-" + incident);
        assertThat(body.path("run_id").asText()).isEqualTo(runId);
        assertThat(body.path("source").asText()).isEqualTo("LANGFUSE");
        assertThat(body.path("attached_by").asText()).isEqualTo(TestBot.USER);
        assertThat(body.path("fetches").get(0).path("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode snapshot = body.path("snapshots").get(0);
        assertThat(snapshot.path("seq").asInt()).isEqualTo(1);
        assertThat(snapshot.path("sha256").asText()).isEqualTo(TraceBackends.sha256(payload));
        assertThat(snapshot.path("normalized")
                        .path("fields")
                        .path("prompt_version")
                        .path("value")
                        .asText())
                .isEqualTo("7");
        assertThat(snapshot.path("normalized")
                        .path("suggested_failure_point")
                        .path("point")
                        .asText())
                .isEqualTo("TOOL_VALIDATION");
        JsonNode raw = snapshot.path("raw").get(0);
        assertThat(raw.has("body")).as("the metadata never inlines a raw body").isFalse();
        assertThat(raw.has("encoding")).isFalse();
        assertThat(raw.path("bytes").asLong()).isEqualTo(payload.length);
        assertThat(raw.path("sha256").asText()).isEqualTo(TraceBackends.sha256(payload));
        assertThat(raw.path("href").asText()).isEqualTo(path + "/snapshots/1/raw/1");

        HttpResponse<byte[]> bytes = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(bot.uri(raw.path("href").asText()))
                                .header("Authorization", "Bearer " + TestBot.API_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(payload);
        assertThat(TraceBackends.sha256(bytes.body()))
                .isEqualTo(bytes.headers().firstValue("X-Content-SHA256").orElseThrow());

        JsonNode runs = bot.json(bot.api("/api/incidents/INC-" + incident + "/runs"));
        assertThat(runs.path("runs").get(0).path("run_id").asText()).isEqualTo(runId);
        assertThat(runs.path("runs").get(0).path("latest_sha256").asText()).isEqualTo(TraceBackends.sha256(payload));
        assertThat(bot.get(path, Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(bot.json(bot.api("/api/incidents/INC-" + incident + "/runs/not-attached"))
                        .path("error")
                        .asText())
                .isEqualTo("run not-attached is not attached to INC-" + incident);
        assertThat(bot.api("/api/incidents/INC-" + incident + "/runs/not-attached")
                        .statusCode())
                .isEqualTo(404);
        assertThat(bot.api("/api/incidents/INC-999/runs").statusCode()).isEqualTo(404);
        assertThat(bot.api(path + "/snapshots/9/raw/1").statusCode()).isEqualTo(404);

        String text = backends.blockText(TraceBackends.awaitThreadMessage(bot, "Evidence frozen", runId));
        assertThat(text).contains("<https://firebreak.example.com" + path + "|stored evidence (raw and normalized)>");
    }

    @Test
    void aRawBodyLongerThanOneSliceIsStreamedByteForByte() throws Exception {
        ObjectNode trace = (ObjectNode) MAPPER.readTree(TraceBackends.bytes(LangfuseEvidenceTest.OPENAI_AGENTS));
        StringBuilder padding = new StringBuilder();
        for (int i = 0; padding.length() < 5 * EvidenceService.RAW_SLICE_BYTES / 2; i++) {
            padding.append(Long.toHexString(i * 0x9E3779B97F4A7C15L)).append(' '); // varied, like a real trace
        }
        ((ObjectNode) trace.get("trace")).putObject("metadata").put("padding", padding.toString());
        byte[] payload = MAPPER.writeValueAsBytes(trace);
        String runId = "run-streamed-in-slices";
        backends.serve("/api/public/traces/" + runId, payload);
        long incident = TraceBackends.openIncident(bot, "A long trace, read back in slices");
        bot.command("run INC-" + incident + " " + runId);
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, runId)).isEqualTo("SUCCEEDED");
        String path = "/api/incidents/INC-" + incident + "/runs/" + runId;

        String metadata = bot.api(path).body();
        HttpResponse<byte[]> bytes = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(bot.uri(path + "/snapshots/1/raw/1"))
                                .header("Authorization", "Bearer " + TestBot.API_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());

        assertThat(payload.length).isGreaterThan(2 * EvidenceService.RAW_SLICE_BYTES);
        assertThat(metadata.length()).as("no raw body inlined").isLessThan(payload.length / 10);
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.headers().firstValueAsLong("Content-Length")).hasValue(payload.length);
        assertThat(bytes.body()).isEqualTo(TraceBackends.rawBody(bot, incident, runId, 1, 1));
        assertThat(TraceBackends.sha256(bytes.body()))
                .isEqualTo(TraceBackends.sha256(payload))
                .isEqualTo(bytes.headers().firstValue("X-Content-SHA256").orElseThrow());
    }

    @Test
    void theTimelineRecordsEachRequestWithoutRepeatingTheRawBodyAndItsChainHolds() {
        byte[] payload = TraceBackends.bytes(LangfuseEvidenceTest.PYDANTIC_AI);
        backends.serve("/api/public/traces/run-timeline", payload);
        long incident = TraceBackends.openIncident(bot, "Timeline of a fetch");
        bot.command("run INC-" + incident + " run-timeline");
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-timeline")).isEqualTo("SUCCEEDED");

        List<String> kinds = bot.db()
                .withHandle(
                        h -> h.select("select kind from timeline_event where incident_id = ? order by seq", incident)
                                .mapTo(String.class)
                                .list());
        assertThat(kinds).containsExactly("opened", "run_attached", "evidence_frozen");
        JsonNode frozen = backends.json(bot.string(
                "select details::text from timeline_event where incident_id = ? and kind = 'evidence_frozen'",
                incident));
        assertThat(frozen.path("sha256").asText()).isEqualTo(TraceBackends.sha256(payload));
        assertThat(frozen.path("snapshot").asInt()).isEqualTo(1);
        assertThat(frozen.path("fields_missing"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "agent_version",
                        "prompt_name",
                        "prompt_version",
                        "retrieved_sources",
                        "approval_decisions",
                        "user_report");
        JsonNode exchange = frozen.path("exchanges").get(0);
        assertThat(exchange.path("request").path("method").asText()).isEqualTo("GET");
        assertThat(exchange.path("request").path("url").asText())
                .isEqualTo(backends.url() + "/api/public/traces/run-timeline");
        assertThat(exchange.path("request")
                        .path("headers")
                        .path("Authorization")
                        .asText())
                .isEqualTo("[REDACTED]");
        assertThat(exchange.path("response").path("status").asInt()).isEqualTo(200);
        assertThat(exchange.path("response").has("body")).isFalse();
        assertThat(exchange.path("response").path("body_sha256").asText()).isEqualTo(TraceBackends.sha256(payload));
        assertThat(exchange.path("response").path("body_bytes").asInt()).isEqualTo(payload.length);
        assertThat(exchange.path("outcome").asText()).isEqualTo("NONE");
        assertThat(bot.json(bot.api("/api/incidents/INC-" + incident + "/timeline/verify"))
                        .path("ok")
                        .asBoolean())
                .isTrue();
    }
}
