package io.firebreak.bot.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.TraceSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parts of reading a trace that no example payload exercises: cut JSON, broken parent links, other message formats. */
class TraceReadingTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static TolerantJson.Result read(String text, boolean truncated) {
        return TolerantJson.read(text.getBytes(StandardCharsets.UTF_8), truncated);
    }

    @Test
    void jsonCutAtTheLimitIsReadUpToTheCutAndAnythingElseBrokenIsUnparsable() {
        TolerantJson.Result cut = read(
                "{\"id\": \"t1\", \"observations\": [{\"id\": \"o1\"}, {\"id\": \"o2\", \"name\": \"half a str", true);
        TolerantJson.Result cutAfterName = read("{\"id\": \"t1\", \"output\": ", true);
        TolerantJson.Result broken = read("{\"id\": \"t1\", }", false);
        TolerantJson.Result lines = read("{\"result\": 1}\n{\"result\": 2}\n", false);

        assertThat(cut.status()).isEqualTo(ParseStatus.PARTIAL);
        assertThat(cut.roots().get(0).toString())
                .isEqualTo("{\"id\":\"t1\",\"observations\":[{\"id\":\"o1\"},{\"id\":\"o2\"}]}");
        assertThat(cutAfterName.roots().get(0).toString()).isEqualTo("{\"id\":\"t1\"}");
        assertThat(broken.status()).isEqualTo(ParseStatus.UNPARSABLE);
        assertThat(broken.problem().orElseThrow()).startsWith("the response is not valid JSON");
        assertThat(broken.roots()).isEmpty();
        assertThat(lines.roots()).extracting(r -> r.path("result").asInt()).containsExactly(1, 2);
        assertThat(read("", false).problem()).contains("the response was empty");
        assertThat(read("{\"a\": [1, 2", true).status()).isEqualTo(ParseStatus.PARTIAL);
    }

    @Test
    void stepsWhoseParentsAreMissingOrCircularBecomeRootsAndNoStepIsDropped() throws Exception {
        String trace = """
                {"id": "t", "observations": [
                  {"id": "a", "type": "SPAN", "name": "a", "parentObservationId": "b", "startTime": "2026-01-01T00:00:01Z", "level": "DEFAULT"},
                  {"id": "b", "type": "SPAN", "name": "b", "parentObservationId": "a", "startTime": "2026-01-01T00:00:02Z", "level": "DEFAULT"},
                  {"id": "c", "type": "SPAN", "name": "c", "parentObservationId": "gone", "startTime": "2026-01-01T00:00:03Z", "level": "DEFAULT"},
                  {"id": "d", "type": "SPAN", "name": "d", "parentObservationId": "d", "startTime": "2026-01-01T00:00:04Z", "level": "DEFAULT"}
                ]}""";

        NormalizedRun run = Normalizer.normalize(
                TraceSource.LANGFUSE,
                "t",
                List.of(new Normalizer.Body("trace", trace.getBytes(StandardCharsets.UTF_8), false)),
                List.of(),
                Optional.empty());

        JsonNode tree = run.field(EvidenceField.WORKFLOW_PATH).value();
        assertThat(tree.path("steps").asInt()).isEqualTo(4);
        assertThat(count(tree.path("roots"))).isEqualTo(4);
        assertThat(tree.path("roots")).extracting(r -> r.path("name").asText()).contains("c", "d");
    }

    @Test
    void aLongChainIsShownNoDeeperThanTheLimit() {
        StringBuilder observations = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            observations
                    .append(i == 0 ? "" : ",")
                    .append("{\"id\": \"s")
                    .append(i)
                    .append("\", \"type\": \"SPAN\", \"name\": \"s")
                    .append(i)
                    .append("\"")
                    .append(i == 0 ? "" : ", \"parentObservationId\": \"s" + (i - 1) + "\"")
                    .append(", \"startTime\": \"2026-01-01T00:00:")
                    .append(String.format("%02d", i % 60))
                    .append(".")
                    .append(String.format("%03d", i))
                    .append("Z\"}");
        }
        byte[] trace = ("{\"id\": \"t\", \"observations\": [" + observations + "]}").getBytes(StandardCharsets.UTF_8);

        NormalizedRun run = Normalizer.normalize(
                TraceSource.LANGFUSE,
                "t",
                List.of(new Normalizer.Body("trace", trace, false)),
                List.of(),
                Optional.empty());

        JsonNode tree = run.field(EvidenceField.WORKFLOW_PATH).value();
        assertThat(count(tree.path("roots"))).isEqualTo(300);
        assertThat(depth(tree.path("roots"))).isEqualTo(StepTree.MAX_DEPTH + 1);
        assertThat(run.toJson(MAPPER).toString()).contains("\"s299\"");
    }

    @Test
    void aTwentyThousandDeepChainNormalizesWithoutOverflowingTheStack() {
        byte[] trace = DeepTraces.otlp(20_000, true);

        NormalizedRun run = Normalizer.normalize(
                TraceSource.OTEL,
                DeepTraces.TRACE_ID,
                List.of(new Normalizer.Body("trace", trace, false)),
                List.of(),
                Optional.empty());

        assertThat(run.parseStatus()).isEqualTo(ParseStatus.PARSED);
        JsonNode tree = run.field(EvidenceField.WORKFLOW_PATH).value();
        assertThat(tree.path("steps").asInt()).isEqualTo(20_000);
        assertThat(count(tree.path("roots"))).isEqualTo(20_000);
        assertThat(depth(tree.path("roots"))).isEqualTo(StepTree.MAX_DEPTH + 1);
        assertThat(NormalizedRun.parse(run.toJson(MAPPER).toString())
                        .field(EvidenceField.WORKFLOW_PATH)
                        .value()
                        .path("steps")
                        .asInt())
                .as("what is stored reads back")
                .isEqualTo(20_000);
    }

    @Test
    void anthropicToolUseInModelMessagesIsReadAsToolCallsWithTheirResults() throws Exception {
        String trace = """
                {"id": "t", "observations": [
                  {"id": "g1", "type": "GENERATION", "name": "claude", "startTime": "2026-01-01T00:00:01Z", "level": "DEFAULT",
                   "output": {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup_order", "input": {"order": "4411"}}]}},
                  {"id": "g2", "type": "GENERATION", "name": "claude", "startTime": "2026-01-01T00:00:02Z", "level": "DEFAULT",
                   "input": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true,
                              "content": "403 Forbidden: scope orders:read missing"}]}]}
                ]}""";

        NormalizedRun run = Normalizer.normalize(
                TraceSource.LANGFUSE,
                "t",
                List.of(new Normalizer.Body("trace", trace.getBytes(StandardCharsets.UTF_8), false)),
                List.of(),
                Optional.empty());

        JsonNode call = run.field(EvidenceField.TOOL_CALLS).value().get(0);
        assertThat(call.path("tool").asText() + " "
                        + call.path("request").path("order").asText() + " "
                        + call.path("outcome").asText())
                .isEqualTo("lookup_order 4411 error");
        assertThat(call.path("from").asText())
                .isEqualTo("observations[id=g1].output/content/0 (response: observations[id=g2].input/0/content/0)");
        assertThat(run.suggestion().orElseThrow().point().name()).isEqualTo("TOOL_PERMISSION");
    }

    @Test
    void credentialsOfMoreShapesAreMasked() {
        assertThat(Redactor.redact("charged with sk_live_51HqLyjWDarjtT1zdp7dcXYZ"))
                .isEqualTo("charged with [REDACTED]");
        assertThat(Redactor.redact("Authorization: Bearer abc_def_ghi_jkl_mno")).isEqualTo("Authorization: [REDACTED]");
    }

    private static int count(JsonNode nodes) {
        int n = 0;
        for (JsonNode node : nodes) {
            n += 1 + count(node.path("children"));
        }
        return n;
    }

    private static int depth(JsonNode nodes) {
        int deepest = 0;
        for (JsonNode node : nodes) {
            deepest = Math.max(deepest, 1 + depth(node.path("children")));
        }
        return deepest;
    }
}
