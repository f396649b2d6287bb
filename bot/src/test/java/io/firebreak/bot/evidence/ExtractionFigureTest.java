package io.firebreak.bot.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.storage.evidence.TraceSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The closing figure over the convention fixtures: per backend, the fields each trace carries against the fields
 * extracted. A field the trace does not carry must come out missing (nothing is invented); the values are checked
 * in {@link TracingConventionsTest}.
 */
class ExtractionFigureTest {
    private static final Set<EvidenceField> BASE = EnumSet.of(
            EvidenceField.RUN_ID,
            EvidenceField.USER_INPUT,
            EvidenceField.AGENT_VERSION,
            EvidenceField.WORKFLOW_PATH,
            EvidenceField.TOOL_CALLS,
            EvidenceField.FINAL_OUTPUT,
            EvidenceField.ERRORS);
    private static final Set<EvidenceField> NO_TOOLS = EnumSet.of(
            EvidenceField.RUN_ID,
            EvidenceField.USER_INPUT,
            EvidenceField.AGENT_VERSION,
            EvidenceField.WORKFLOW_PATH,
            EvidenceField.FINAL_OUTPUT,
            EvidenceField.ERRORS);

    @Test
    void everyFieldATraceCarriesIsExtractedAndNoOtherIs() {
        Map<String, Set<EvidenceField>> carried = new LinkedHashMap<>();
        for (String file : new String[] {
            "openllmetry",
            "koog",
            "openlit",
            "semantic-kernel",
            "vercel-ai",
            "genai-tool-attributes",
            "tool-error-in-ok-span",
            "langfuse-span-tool"
        }) {
            carried.put(file, BASE);
        }
        Set<EvidenceField> openInference = EnumSet.copyOf(BASE);
        openInference.addAll(Set.of(EvidenceField.RETRIEVED_SOURCES, EvidenceField.PROMPT_VERSION));
        carried.put("openinference-flat", openInference);
        carried.put("tempo-base64-ids", NO_TOOLS);
        carried.put("nested-subagent", NO_TOOLS);
        Map<TraceSource, int[]> figure = new LinkedHashMap<>();

        carried.forEach((file, fields) -> {
            TraceSource source = file.startsWith("langfuse") ? TraceSource.LANGFUSE : TraceSource.OTEL;
            NormalizedRun run = TracingConventionsTest.normalize(file, source, TracingConventionsTest.TRACE);
            assertThat(run.presentFields()).as(file).containsExactlyInAnyOrderElementsOf(fields);
            int[] counts = figure.computeIfAbsent(source, s -> new int[2]);
            counts[0] += fields.size();
            counts[1] +=
                    (int) run.presentFields().stream().filter(fields::contains).count();
        });

        assertThat(figure.get(TraceSource.OTEL)).containsExactly(70, 70);
        assertThat(figure.get(TraceSource.LANGFUSE)).containsExactly(7, 7);
    }
}
