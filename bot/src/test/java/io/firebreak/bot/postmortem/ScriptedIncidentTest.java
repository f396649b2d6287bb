package io.firebreak.bot.postmortem;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One whole incident, scripted through Slack: opened, assessed, contained, a run attached and its evidence frozen
 * (Langfuse's own example trace), the failure point named, corrected, follow-ups added, containment undone,
 * resolved and closed; then its postmortem checked section by section, its regression cases as JSONL, and the
 * push of the regression case to a Langfuse dataset, which fails once and is retried without blocking the close.
 */
class ScriptedIncidentTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String RUN = "fee618f96dc31e0ca38b2f7b26eb8b29";
    WireMockServer outside;
    TestBot bot;

    @BeforeEach
    void start() {
        outside = new WireMockServer(wireMockConfig().dynamicPort());
        outside.start();
        outside.stubFor(any(urlPathMatching("/workflows/.*")).willReturn(okJson("{\"ok\": true}")));
        outside.stubFor(get("/api/public/traces/" + RUN)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.read("agent-traces/langfuse/openai-agents-2025-09-30.trace.json"))));
        outside.stubFor(post("/api/public/dataset-items")
                .inScenario("dataset")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        outside.stubFor(post("/api/public/dataset-items")
                .inScenario("dataset")
                .whenScenarioStateIs("up")
                .willReturn(okJson("{\"id\": \"firebreak-REG-3-inc-1\", \"status\": \"ACTIVE\"}")));
        Map<String, String> env = new HashMap<>();
        env.put("FIREBREAK_ACTIONS", "../manifests/containment-actions.yml");
        env.put("AGENT_CONTROL_URL", outside.baseUrl());
        env.put("AGENT_CONTROL_TOKEN", "act-live-0123456789abcdef");
        env.put("LANGFUSE_HOST", outside.baseUrl());
        env.put("LANGFUSE_PUBLIC_KEY", "pk-lf-scripted-public");
        env.put("LANGFUSE_SECRET_KEY", "sk-lf-scripted-secret");
        env.put("LANGFUSE_DATASET", "agent-regressions");
        bot = TestBot.start(env);
    }

    @AfterEach
    void stop() {
        bot.close();
        outside.stop();
    }

    private void submit(String callbackId, ObjectNode values) {
        HttpResponse<String> response =
                bot.postSigned(SlackPayloads.viewSubmission(callbackId, "INC-1", TestBot.USER, values), FORM);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("form accepted").isEmpty();
    }

    private static ObjectNode choice(ObjectNode values, String id, String type, String value) {
        values.putObject(id)
                .putObject(id)
                .put("type", type)
                .putObject("selected_option")
                .put("value", value);
        return values;
    }

    @Test
    void aWholeIncidentEndsInAPostmortemBuiltFromTheRecord() throws Exception {
        bot.command("open Refund agent sent refunds above the order total");
        submit(
                "incident_assessment",
                SlackPayloads.assessment(false, "LIMITED", new String[] {"FINANCIAL"}, false, true, Map.of()));
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("HIGH");

        assertThat(bot.text(bot.command("contain INC-1 pause-workflow workflow=refunds -- refunds above order totals")))
                .doesNotContain("refused");
        bot.awaitCount(1, "select count(*) from incident where phase = 'CONTAINED'");

        assertThat(bot.text(bot.command("run INC-1 " + RUN + " langfuse"))).contains("Attached run");
        bot.awaitCount(1, "select count(*) from evidence_snapshot");
        assertThat(bot.text(bot.command(
                        "cause INC-1 TOOL_VALIDATION the refund tool accepted an amount above the order total")))
                .contains("TOOL_VALIDATION");

        ObjectNode correction = new ObjectMapper().createObjectNode();
        choice(correction, "what", "static_select", "TOOL_VALIDATION");
        correction.set("version", SlackPayloads.text("version", "refund-tool v2.4.1"));
        correction.set("eval_name", SlackPayloads.text("eval_name", "refund-limits-suite"));
        choice(correction, "result", "radio_buttons", "PASSED");
        choice(correction, "rollout", "radio_buttons", "COMPLETE");
        submit("incident_correction", correction);
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("RESOLVED");

        String refused = bot.text(bot.command("close INC-1"));
        assertThat(refused)
                .contains("cannot close yet")
                .contains(":x: A regression case")
                .contains(":x: An owner")
                .contains(":x: A verification check")
                .contains(":x: Containment undone or kept with a reason")
                .doesNotContain(":x: A failure point named")
                .doesNotContain(":x: Resolved");

        assertThat(bot.text(bot.command(
                        "followup INC-1 regression refuses any refund above the order total tags=refunds,money")))
                .contains("Regression case REG-")
                .contains(RUN);
        bot.command("followup INC-1 owner <@U024BE7LH|bob>");
        bot.command("followup INC-1 verification refund-limits-suite runs in CI on every tool change");
        assertThat(bot.text(bot.command("undo INC-1 pause-workflow -- fixed in refund-tool v2.4.1")))
                .doesNotContain("cannot");
        bot.awaitCount(1, "select count(*) from containment_run where state = 'UNDONE'");

        String closed = bot.text(bot.command("close INC-1"));
        assertThat(closed).contains("moved from resolved to *closed*");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("CLOSED");
        bot.slack().awaitCalls("files.completeUploadExternal", 1);

        String md = bot.api("/api/incidents/INC-1/postmortem.md").body();
        assertThat(section(md, "Summary"))
                .contains("**Severity:** HIGH (assessed: there is financial exposure)")
                .contains("**Phase:** CLOSED")
                .contains("**Time to contain:**")
                .doesNotContain("not contained")
                .contains("**Time to resolve:**")
                .doesNotContain("not resolved");
        assertThat(section(md, "Impact and severity history"))
                .contains("assessed HIGH")
                .contains("because there is financial exposure")
                .contains("caught before users no")
                .contains("breadth limited")
                .contains("[\"FINANCIAL\"]");
        assertThat(section(md, "Containment"))
                .contains("Pause workflow")
                .contains("{workflow=refunds}")
                .contains(TestBot.USER)
                .contains("fixed in refund-tool v2.4.1");
        String sha = bot.string("select sha256 from evidence_snapshot");
        assertThat(section(md, "Evidence"))
                .contains("`" + RUN + "`")
                .contains("Langfuse")
                .contains("`" + sha + "`")
                .containsPattern("\\d+/12");
        assertThat(section(md, "Evidence"))
                .contains("**Summary**: Run `" + RUN + "` was produced by agent")
                .contains("- Tool calls: `get_weather`")
                .contains("- Frozen snapshot: [snapshot 1](/api/incidents/INC-1/runs/" + RUN + "), SHA-256 `" + sha
                        + "`");
        assertThat(section(md, "Failure point"))
                .contains("**TOOL_VALIDATION**")
                .contains("accepted an amount above the order total");
        assertThat(section(md, "Correction and verification"))
                .contains("TOOL_VALIDATION")
                .contains("`refund-tool v2.4.1`")
                .contains("refund-limits-suite")
                .contains("PASSED")
                .contains("COMPLETE");
        assertThat(section(md, "Follow-ups"))
                .contains("REGRESSION_CASE: from run `" + RUN + "`")
                .contains("expected: refuses any refund above the order total")
                .contains("failure point TOOL_VALIDATION")
                .contains("tags refunds, money")
                .contains("OWNER: owner U024BE7LH")
                .contains("VERIFICATION_CHECK");
        assertThat(section(md, "Timeline (UTC)"))
                .contains("| 1 |")
                .contains("opened")
                .contains("assessed")
                .contains("phase changed: DETECTED → CONTAINED")
                .contains("correction recorded")
                .contains("phase changed: RESOLVED → CLOSED");
        assertThat(md).contains("Timeline integrity: verified");

        List<String> lines = bot.api("/api/incidents/INC-1/regression-cases.jsonl")
                .body()
                .lines()
                .toList();
        assertThat(lines).hasSize(1);
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode regression = mapper.readTree(line);
            assertThat(regression.path("source_run_id").asText()).isEqualTo(RUN);
            assertThat(regression.path("expected_behavior").asText())
                    .isEqualTo("refuses any refund above the order total");
            assertThat(regression.path("failure_point").asText()).isEqualTo("TOOL_VALIDATION");
            assertThat(regression.path("input").toString()).contains("What's the weather in Tokyo?");
            assertThat(regression.path("bad_output").isNull()).isFalse();
            assertThat(regression.path("tags").toString()).isEqualTo("[\"refunds\",\"money\"]");
        }
        assertThat(bot.api("/api/regression-cases.jsonl?since=2020-01-01")
                        .body()
                        .lines()
                        .count())
                .isEqualTo(1);
        assertThat(bot.api("/api/regression-cases.jsonl?since=2999-01-01T00:00:00Z")
                        .body())
                .isEmpty();

        bot.awaitCount(1, "select count(*) from follow_up where kind = 'REGRESSION_CASE' and pushed_at is not null");
        var pushes = outside.findAll(postRequestedFor(urlEqualTo("/api/public/dataset-items")));
        assertThat(pushes).hasSize(2);
        JsonNode item = mapper.readTree(pushes.get(1).getBodyAsString());
        assertThat(item.path("datasetName").asText()).isEqualTo("agent-regressions");
        assertThat(item.path("sourceTraceId").asText()).isEqualTo(RUN);
        assertThat(item.path("id").asText())
                .isEqualTo(mapper.readTree(pushes.get(0).getBodyAsString())
                        .path("id")
                        .asText());
        assertThat(item.path("expectedOutput").path("expected_behavior").asText())
                .isEqualTo("refuses any refund above the order total");
        assertThat(pushes.get(1).getHeader("Authorization")).startsWith("Basic ");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'dataset_push_failed'"))
                .isEqualTo(1);
        assertThat(bot.count("select count(*) from timeline_event where kind = 'dataset_pushed'"))
                .isEqualTo(1);
        assertThat(bot.string("select string_agg(details::text, '') from timeline_event"))
                .doesNotContain("sk-lf-scripted-secret")
                .doesNotContain("act-live-0123456789abcdef");
        assertThat(bot.json(bot.api("/api/incidents/INC-1/timeline/verify"))
                        .path("ok")
                        .asBoolean())
                .isTrue();
    }

    /** The text of one {@code ## heading} section of the Markdown. */
    private static String section(String md, String heading) {
        int start = md.indexOf("\n## " + heading + "\n");
        assertThat(start).as("section " + heading).isNotNegative();
        int end = md.indexOf("\n## ", start + 4);
        return md.substring(start, end < 0 ? md.length() : end);
    }
}
