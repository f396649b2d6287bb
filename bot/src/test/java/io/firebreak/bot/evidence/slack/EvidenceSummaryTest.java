package io.firebreak.bot.evidence.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.evidence.NormalizedRun;
import io.firebreak.bot.evidence.Normalizer;
import io.firebreak.storage.evidence.EvidenceFetch;
import io.firebreak.storage.evidence.EvidenceSnapshot;
import io.firebreak.storage.evidence.FetchState;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.RunAttachment;
import io.firebreak.storage.evidence.TraceSource;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The thread summary of a run with far more than fits in Slack: every block within Block Kit's limits, no credential shown. */
class EvidenceSummaryTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aHugeRunIsSummarizedWithinBlockKitLimitsAndWithoutCredentials() throws Exception {
        StringBuilder observations = new StringBuilder(
                "{\"id\": \"root\", \"type\": \"AGENT\", \"name\": \"agent\", \"level\": \"DEFAULT\"}");
        for (int i = 0; i < 60; i++) {
            observations
                    .append(", {\"id\": \"t")
                    .append(i)
                    .append("\", \"type\": \"TOOL\", \"name\": \"tool_")
                    .append(i)
                    .append("_")
                    .append("x".repeat(100))
                    .append("\", \"parentObservationId\": \"root\", \"level\": \"ERROR\", ")
                    .append(
                            "\"statusMessage\": \"<!channel> failed with Authorization: Bearer sk-proj-abcdefghijklmnop0123 ")
                    .append("y".repeat(2000))
                    .append("\", \"input\": {\"n\": ")
                    .append(i)
                    .append("}}");
        }
        String trace = "{\"id\": \"huge\", \"observations\": [" + observations + "]}";
        NormalizedRun run = Normalizer.normalize(
                TraceSource.LANGFUSE,
                "huge",
                List.of(new Normalizer.Body("trace", trace.getBytes(StandardCharsets.UTF_8), false)),
                List.of(),
                Optional.empty());
        String runId = "r".repeat(200);
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        Incident incident = new Incident(
                7,
                "Tool storm",
                Optional.empty(),
                Phase.INVESTIGATING,
                "U1",
                "U1",
                "slash-command",
                Optional.of("C1"),
                Optional.empty(),
                Optional.of("C1"),
                Optional.of("1.2"),
                Optional.empty(),
                Optional.empty(),
                now,
                now,
                false);
        RunAttachment attachment = new RunAttachment(1, 7, runId, TraceSource.LANGFUSE, "U1", now, Optional.empty());
        EvidenceFetch fetch = new EvidenceFetch(
                1,
                1,
                TraceSource.LANGFUSE,
                "U1",
                now,
                FetchState.SUCCEEDED,
                1,
                Optional.empty(),
                Optional.empty(),
                Optional.of(now),
                Optional.empty());
        EvidenceSnapshot snapshot = new EvidenceSnapshot(
                1,
                1,
                1,
                1,
                TraceSource.LANGFUSE,
                now,
                "a".repeat(64),
                trace.length(),
                false,
                ParseStatus.PARSED,
                run.toJson(MAPPER).toString(),
                Optional.empty());

        EvidenceSummary.Message message = new EvidenceSummary(
                        Optional.of(URI.create("https://firebreak.example.com")), "/incident")
                .render(
                        new EvidenceService.FetchNotice(incident, attachment, fetch, Optional.of(snapshot), 6),
                        EvidenceService.ThreadNotice.What.DONE);

        JsonNode blocks = MAPPER.readTree(MAPPER.writeValueAsString(message.blocks()));
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        for (JsonNode block : blocks) {
            assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(3000);
            assertThat(block.path("elements").size()).isLessThanOrEqualTo(10);
            block.path("elements")
                    .forEach(e -> assertThat(e.path("text").asText().length()).isLessThanOrEqualTo(3000));
        }
        assertThat(message.text().length()).isLessThanOrEqualTo(300);
        String all = blocks.toString();
        assertThat(all)
                .contains("*Tools called* (60)")
                .contains("…and 50 more")
                .contains("*Errors* (60)")
                .contains("[REDACTED]")
                .doesNotContain("sk-proj-abcdefghijklmnop0123")
                .doesNotContain("<!channel>")
                .contains("&lt;!channel&gt;")
                .contains("<https://firebreak.example.com/api/incidents/INC-7/runs/" + runId + "|stored evidence");
    }
}
