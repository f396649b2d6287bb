package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a LangSmith run ({@code GET /runs/{id}}) and its trace tree (the pages of {@code POST /runs/query}). The
 * run's input and output are its trace root's {@code inputs} and {@code outputs}; the agent version has no field
 * of its own and is read from {@code extra.metadata}.
 */
final class LangSmithReader {
    static final String RUN = "run";
    static final String TREE = "tree";
    /** {@code extra.metadata} keys that name the agent's version, most specific first. */
    private static final String[] VERSION_KEYS = {"agent_version", "version", "revision_id"};

    private LangSmithReader() {}

    static TraceModel read(String runId, List<ParsedPart> parts, List<String> notes) {
        JsonNode requested = null;
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (ParsedPart part : parts) {
            for (JsonNode root : part.roots()) {
                if (part.role().equals(RUN)) {
                    requested = root;
                } else {
                    root.path("runs").forEach(r -> runs.putIfAbsent(r.path("id").asText(""), r));
                }
            }
        }
        if (requested != null) {
            runs.putIfAbsent(requested.path("id").asText(""), requested);
        }
        List<Step> steps = new ArrayList<>();
        runs.values().forEach(r -> steps.add(step(r)));
        JsonNode root = root(requested, runs);
        String rootWhere = root == null ? "" : where(root);
        Optional<Located<String>> version = Optional.empty();
        if (root != null) {
            JsonNode metadata = root.path("extra").path("metadata");
            for (String key : VERSION_KEYS) {
                Optional<String> value = JsonValues.text(metadata.path(key));
                if (value.isPresent()) {
                    version = Optional.of(new Located<>(value.get(), rootWhere + ".extra.metadata." + key));
                    break;
                }
            }
        }
        Located<String> id = requested != null && JsonValues.has(requested.path("id"))
                ? new Located<>(requested.path("id").asText(), "run.id")
                : new Located<>(runId, "the requested run ID (the response has no id)");
        return new TraceModel(
                id,
                steps,
                "runs[]",
                root == null ? Optional.empty() : JsonValues.located(root.path("inputs"), rootWhere + ".inputs"),
                root == null ? Optional.empty() : JsonValues.located(root.path("outputs"), rootWhere + ".outputs"),
                version,
                notes);
    }

    /** The trace's root run: the one whose id is the trace id, else one without a parent, else the requested run. */
    private static JsonNode root(JsonNode requested, Map<String, JsonNode> runs) {
        String traceId = requested == null ? "" : requested.path("trace_id").asText("");
        if (runs.containsKey(traceId)) {
            return runs.get(traceId);
        }
        return runs.values().stream()
                .filter(r -> !JsonValues.has(r.path("parent_run_id")))
                .findFirst()
                .orElse(requested);
    }

    private static String where(JsonNode run) {
        return "runs[id=" + run.path("id").asText("") + "]";
    }

    private static Step step(JsonNode run) {
        String where = where(run);
        String type = run.path("run_type").asText("chain");
        boolean failed = JsonValues.has(run.path("error"))
                || "error".equals(run.path("status").asText());
        Optional<Located<String>> error = failed
                ? Optional.of(new Located<>(
                        run.path("error").asText(""),
                        where + (JsonValues.has(run.path("error")) ? ".error" : ".status")))
                : Optional.empty();
        List<Located<JsonNode>> attributes = new ArrayList<>();
        if (run.path("extra").path("metadata").isObject()) {
            attributes.add(new Located<>(run.path("extra").path("metadata"), where + ".extra.metadata"));
        }
        List<Located<JsonNode>> events = new ArrayList<>();
        JsonNode runEvents = run.path("events");
        for (int i = 0; i < runEvents.size(); i++) {
            JsonNode event = runEvents.get(i);
            if (!event.isObject()) {
                continue;
            }
            // LangSmith events carry their details in kwargs; read them as the event's attributes.
            com.fasterxml.jackson.databind.node.ObjectNode normalized = event.deepCopy();
            normalized.set("attributes", event.path("kwargs"));
            events.add(new Located<>(normalized, where + ".events[" + i + "]"));
        }
        return new Step(
                run.path("id").asText(""),
                JsonValues.text(run.path("parent_run_id")),
                StepKind.of(type),
                type,
                run.path("name").asText(type),
                where,
                JsonValues.epochNanos(run.path("start_time")),
                JsonValues.epochNanos(run.path("end_time")),
                JsonValues.located(run.path("inputs"), where + ".inputs"),
                JsonValues.located(run.path("outputs"), where + ".outputs", StepKind.of(type) == StepKind.RETRIEVER),
                error,
                run.has("status") || run.has("error"),
                attributes,
                events,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
