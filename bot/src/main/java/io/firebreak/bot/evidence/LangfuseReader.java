package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Langfuse trace: the v1 {@code GET /api/public/traces/{id}} body ({@code TraceWithFullDetails}, or the
 * {@code {"trace": …, "observations": […]}} export shape Langfuse's own fixtures use), or the pages of the v2
 * observations API. Input, output and metadata may be JSON or JSON in a string; both are read.
 */
final class LangfuseReader {
    static final String TRACE = "trace";
    static final String OBSERVATIONS = "observations";

    private LangfuseReader() {}

    static TraceModel read(String runId, List<ParsedPart> parts, List<String> notes) {
        List<Step> steps = new ArrayList<>();
        Optional<Located<String>> release = Optional.empty();
        Optional<Located<String>> traceId = Optional.empty();
        JsonNode trace = null;
        String tracePath = "";
        for (ParsedPart part : parts) {
            for (JsonNode root : part.roots()) {
                if (part.role().equals(TRACE)) {
                    boolean export = root.path("trace").isObject()
                            && root.path("observations").isArray();
                    trace = export ? root.get("trace") : root;
                    tracePath = export ? "trace." : "";
                    root.path("observations").forEach(o -> steps.add(step(o)));
                } else {
                    for (JsonNode o : root.path("data")) {
                        steps.add(step(o));
                        if (traceId.isEmpty()) {
                            traceId = JsonValues.text(o.path("traceId"))
                                    .map(t -> new Located<>(
                                            t, "observations[id=" + o.path("id").asText() + "].traceId"));
                        }
                        if (release.isEmpty()) {
                            release = JsonValues.text(o.path("release"))
                                    .map(r -> new Located<>(
                                            r, "observations[id=" + o.path("id").asText() + "].release"));
                        }
                    }
                }
            }
        }
        if (trace == null) {
            // The v2 observations API has no trace-level input, output or version.
            return new TraceModel(
                    traceId.orElse(new Located<>(runId, "the requested run ID (no observation names its trace)")),
                    steps,
                    "observations[]",
                    Optional.empty(),
                    Optional.empty(),
                    release,
                    notes);
        }
        JsonNode t = trace;
        String prefix = tracePath;
        Located<String> id = JsonValues.text(t.path("id"))
                .map(v -> new Located<>(v, prefix + "id"))
                .orElse(new Located<>(runId, "the requested run ID (the trace has no id)"));
        return new TraceModel(
                id,
                steps,
                "observations[]",
                JsonValues.located(t.path("input"), prefix + "input"),
                JsonValues.located(t.path("output"), prefix + "output"),
                JsonValues.text(t.path("version"))
                        .map(v -> new Located<>(v, prefix + "version"))
                        .or(() -> JsonValues.text(t.path("release")).map(v -> new Located<>(v, prefix + "release"))),
                notes);
    }

    private static Step step(JsonNode o) {
        String id = o.path("id").asText("");
        String where = "observations[id=" + id + "]";
        String type = o.path("type").asText("SPAN");
        JsonNode metadata = JsonValues.decoded(o.path("metadata"));
        List<Located<JsonNode>> attributes = new ArrayList<>();
        if (metadata.path("attributes").isObject()) {
            attributes.add(new Located<>(metadata.get("attributes"), where + ".metadata.attributes"));
        }
        if (metadata.isObject()) {
            attributes.add(new Located<>(metadata, where + ".metadata"));
        }
        if (metadata.path("resourceAttributes").isObject()) {
            attributes.add(new Located<>(metadata.get("resourceAttributes"), where + ".metadata.resourceAttributes"));
        }
        // A SPAN observation made from an OTel tool span keeps its gen_ai.tool.* attributes: it is a tool call.
        StepKind kind = StepKind.of(type) == StepKind.SPAN
                        && metadata.path("attributes").isObject()
                        && SpanConventions.kind(metadata.get("attributes"), List.of()) == StepKind.TOOL
                ? StepKind.TOOL
                : StepKind.of(type);
        boolean failed = "ERROR".equals(o.path("level").asText());
        Optional<Located<String>> error = failed
                ? Optional.of(new Located<>(o.path("statusMessage").asText(""), where + ".level and .statusMessage"))
                : Optional.empty();
        return new Step(
                id,
                JsonValues.text(o.path("parentObservationId")),
                kind,
                type,
                o.path("name").asText(type),
                where,
                JsonValues.epochNanos(o.path("startTime")),
                JsonValues.epochNanos(o.path("endTime")),
                JsonValues.located(o.path("input"), where + ".input"),
                JsonValues.located(o.path("output"), where + ".output", kind == StepKind.RETRIEVER),
                error,
                JsonValues.has(o.path("level")),
                attributes,
                List.of(),
                text(o, "version", where),
                text(o, "promptName", where),
                text(o, "promptVersion", where),
                text(o, "model", where));
    }

    private static Optional<Located<String>> text(JsonNode o, String field, String where) {
        return JsonValues.text(o.path(field)).map(v -> new Located<>(v, where + "." + field));
    }
}
