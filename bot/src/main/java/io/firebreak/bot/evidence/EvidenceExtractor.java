package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.TraceSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Takes the playbook's evidence fields from a {@link TraceModel}, the same way for every backend. Each value
 * says where it came from; a field the trace does not carry is missing, with what was looked for.
 */
final class EvidenceExtractor {
    /** Attribute and metadata keys that name the agent's version, most specific first. */
    static final String[] VERSION_KEYS = {
        "gen_ai.agent.version", "agent.version", "agent_version", "service.version", "revision_id"
    };

    static final String[] PROMPT_NAME_KEYS = {
        "langfuse.observation.prompt.name",
        "gen_ai.prompt.name",
        "prompt.name",
        "prompt_name",
        "llm.prompt_template.name",
        "lc_hub_repo"
    };
    static final String[] PROMPT_VERSION_KEYS = {
        "langfuse.observation.prompt.version",
        "llm.prompt_template.version",
        "prompt.version",
        "prompt_version",
        "lc_hub_commit_hash"
    };
    static final String[] TOOL_NAME_KEYS = {"gen_ai.tool.name", "tool.name", "ai.toolCall.name", "traceloop.entity.name"
    };
    static final String[] TOOL_CALL_ID_KEYS = {"gen_ai.tool.call.id", "tool_call.id", "tool.call.id", "ai.toolCall.id"};
    /** The documented approval convention: see docs/evidence.md. */
    static final String APPROVAL_DECISION = "approval.decision";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EvidenceExtractor() {}

    /** The evidence of a trace that could be read (completely, or up to a cut). */
    static NormalizedRun extract(
            TraceSource source,
            String requestedRunId,
            ParseStatus status,
            TraceModel trace,
            Optional<String> reportId) {
        Map<EvidenceField, FieldValue> fields = new EnumMap<>(EvidenceField.class);
        List<Step> byStart = trace.steps().stream()
                .sorted(Comparator.comparingLong(Step::startNanos))
                .toList();
        List<Step> roots = roots(byStart);
        List<Step> modelCalls =
                byStart.stream().filter(s -> s.kind() == StepKind.LLM).toList();
        String missingNote = status == ParseStatus.PARTIAL ? " (the stored part of the truncated trace)" : "";

        fields.put(
                EvidenceField.RUN_ID,
                FieldValue.present(
                        NODES.textNode(trace.runId().value()), trace.runId().from()));
        fields.put(
                EvidenceField.USER_INPUT,
                runLevel(trace.input(), roots, modelCalls, Step::input)
                        .map(l -> FieldValue.present(l.value(), l.from()))
                        .orElse(FieldValue.missing("no input on the trace, its root step or any model call (looked for "
                                + SpanConventions.INPUTS_LOOKED_AT + ")" + missingNote)));
        fields.put(EvidenceField.AGENT_VERSION, agentVersion(trace, roots, byStart, missingNote));
        fields.put(
                EvidenceField.WORKFLOW_PATH,
                byStart.isEmpty()
                        ? FieldValue.missing("the trace has no steps" + missingNote)
                        : FieldValue.present(
                                RunFacts.named(StepTree.build(byStart), roots, byStart),
                                trace.stepsFrom() + " and their parent links"));
        List<Step> promptOrder = new ArrayList<>(modelCalls);
        byStart.stream().filter(s -> s.kind() != StepKind.LLM).forEach(promptOrder::add);
        fields.put(
                EvidenceField.PROMPT_NAME,
                prompt(
                        promptOrder,
                        Step::promptName,
                        PROMPT_NAME_KEYS,
                        "no step names its prompt (looked for promptName, gen_ai.prompt.name, prompt.name, lc_hub_repo)"
                                + missingNote));
        fields.put(
                EvidenceField.PROMPT_VERSION,
                prompt(
                        promptOrder,
                        Step::promptVersion,
                        PROMPT_VERSION_KEYS,
                        "no step records its prompt version (looked for promptVersion, llm.prompt_template.version, prompt.version, "
                                + "lc_hub_commit_hash; OpenTelemetry GenAI has no prompt-version attribute)"
                                + missingNote));
        fields.put(EvidenceField.RETRIEVED_SOURCES, retrievals(trace, byStart, missingNote));
        fields.put(EvidenceField.TOOL_CALLS, toolCalls(trace, byStart, modelCalls, missingNote));
        fields.put(EvidenceField.APPROVAL_DECISIONS, approvals(byStart, missingNote));
        // The final output is the top-level agent's last turn: a nested sub-agent's last model call may end later.
        List<Step> lastFirst = RunFacts.topLevelLastFirst(modelCalls, byStart);
        fields.put(
                EvidenceField.FINAL_OUTPUT,
                runLevel(trace.output(), lastEndingFirst(roots), lastFirst, Step::output)
                        .map(l -> FieldValue.present(l.value(), l.from()))
                        .orElse(FieldValue.missing(
                                "no output on the trace, its root step or any model call (looked for "
                                        + SpanConventions.OUTPUTS_LOOKED_AT
                                        + "; an output recorded as JSON null counts as none)" + missingNote)));
        fields.put(EvidenceField.ERRORS, errors(trace, byStart, missingNote));
        fields.put(EvidenceField.USER_REPORT, userReport(reportId));
        return new NormalizedRun(source, requestedRunId, status, fields, notes(trace, byStart), Optional.empty());
    }

    /** The reader's notes, and a note when steps name a parent the trace does not hold (it is incomplete). */
    private static List<String> notes(TraceModel trace, List<Step> byStart) {
        Set<String> ids = new HashSet<>();
        byStart.forEach(s -> ids.add(s.id()));
        Set<String> missing = new TreeSet<>();
        byStart.forEach(s -> s.parentId().filter(p -> !ids.contains(p)).ifPresent(missing::add));
        if (missing.isEmpty()) {
            return trace.notes();
        }
        List<String> notes = new ArrayList<>(trace.notes());
        List<String> named = missing.stream().limit(3).toList();
        notes.add("steps name a parent the trace does not hold (" + String.join(", ", named)
                + (missing.size() > named.size() ? " and " + (missing.size() - named.size()) + " more" : "")
                + "): the trace may be incomplete, and what that parent received and answered is not in it");
        return notes;
    }

    /** The evidence of a response that is not JSON: every trace field missing, the user report as linked. */
    static NormalizedRun unreadable(
            TraceSource source, String requestedRunId, String problem, Optional<String> reportId) {
        Map<EvidenceField, FieldValue> fields = new EnumMap<>(EvidenceField.class);
        for (EvidenceField field : EvidenceField.values()) {
            fields.put(field, FieldValue.missing(problem + "; the raw response is kept as it came"));
        }
        fields.put(EvidenceField.USER_REPORT, userReport(reportId));
        return new NormalizedRun(
                source, requestedRunId, ParseStatus.UNPARSABLE, fields, List.of(problem), Optional.empty());
    }

    static FieldValue userReport(Optional<String> reportId) {
        return reportId.map(id -> FieldValue.present(
                        NODES.objectNode().put("report_id", id),
                        "the user report " + id + " the run was attached with"))
                .orElse(FieldValue.missing("no user report is linked to this run"));
    }

    private static List<Step> roots(List<Step> byStart) {
        Set<String> ids = new HashSet<>();
        byStart.forEach(s -> ids.add(s.id()));
        return byStart.stream()
                .filter(s -> s.parentId()
                        .map(p -> !ids.contains(p) || p.equals(s.id()))
                        .orElse(true))
                .toList();
    }

    /**
     * The run's own input or output: the trace's, else a root step's, else a model call's. A root that only looked
     * something up or ran a tool (a trace whose top span is missing) comes last: its input is a query or tool
     * arguments, its output documents or a tool result, not what the user asked or was answered.
     */
    private static Optional<Located<JsonNode>> runLevel(
            Optional<Located<JsonNode>> traceLevel,
            List<Step> roots,
            List<Step> modelCalls,
            Function<Step, Optional<Located<JsonNode>>> read) {
        List<Step> fallback = new ArrayList<>(modelCalls);
        roots.stream().filter(EvidenceExtractor::looksUp).forEach(fallback::add);
        return first(traceLevel, roots.stream().filter(s -> !looksUp(s)).toList(), fallback, read);
    }

    /**
     * Root steps, the last to end first: when a trace holds several top-level steps side by side (model calls
     * made one after another without a span around them), the run's answer is the last one's, not the first's.
     */
    private static List<Step> lastEndingFirst(List<Step> roots) {
        return roots.stream()
                .sorted(Comparator.comparingLong(Step::endNanos).reversed())
                .toList();
    }

    private static boolean looksUp(Step step) {
        return step.kind() == StepKind.TOOL || step.kind() == StepKind.RETRIEVER || step.kind() == StepKind.EMBEDDING;
    }

    /** The trace-level value, else the first root step's, else the first of {@code fallback} steps' that has one. */
    private static <T> Optional<Located<T>> first(
            Optional<Located<T>> traceLevel,
            List<Step> roots,
            List<Step> fallback,
            Function<Step, Optional<Located<T>>> read) {
        if (traceLevel.isPresent()) {
            return traceLevel;
        }
        for (List<Step> steps : List.of(roots, fallback)) {
            for (Step step : steps) {
                Optional<Located<T>> value = read.apply(step);
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    private static FieldValue agentVersion(TraceModel trace, List<Step> roots, List<Step> byStart, String missingNote) {
        Optional<Located<String>> version = first(trace.version(), roots, byStart, Step::version);
        if (version.isEmpty()) {
            List<Step> rootsFirst = new ArrayList<>(roots);
            byStart.stream().filter(s -> !roots.contains(s)).forEach(rootsFirst::add);
            version = firstAttribute(rootsFirst, VERSION_KEYS).map(l -> new Located<>(text(l.value()), l.from()));
        }
        return version.map(l -> FieldValue.present(NODES.textNode(l.value()), l.from()))
                .orElse(FieldValue.missing("no version on the trace or its steps (looked for version, release, "
                        + String.join(", ", VERSION_KEYS) + ")" + missingNote));
    }

    private static FieldValue prompt(
            List<Step> steps, Function<Step, Optional<Located<String>>> nativeField, String[] keys, String missing) {
        for (Step step : steps) {
            Optional<Located<String>> value = nativeField.apply(step);
            if (value.isPresent()) {
                return FieldValue.present(
                        NODES.textNode(value.get().value()), value.get().from());
            }
        }
        return firstAttribute(steps, keys)
                .map(l -> FieldValue.present(NODES.textNode(text(l.value())), l.from()))
                .orElse(FieldValue.missing(missing));
    }

    /** The first of {@code keys} in the steps' attributes, step by step, with where it was found. */
    static Optional<Located<JsonNode>> firstAttribute(List<Step> steps, String... keys) {
        for (Step step : steps) {
            Optional<Located<JsonNode>> found = attribute(step, keys);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static Optional<Located<JsonNode>> attribute(Step step, String... keys) {
        return attribute(step.attributes(), keys);
    }

    /** The first of {@code keys} in {@code maps}, flat or nested, with where it was found. */
    static Optional<Located<JsonNode>> attribute(List<Located<JsonNode>> maps, String... keys) {
        for (String key : keys) {
            for (Located<JsonNode> map : maps) {
                Optional<JsonNode> value = JsonValues.attribute(List.of(map.value()), key);
                if (value.isPresent()) {
                    return Optional.of(new Located<>(value.get(), map.from() + "[" + key + "]"));
                }
            }
        }
        return Optional.empty();
    }

    private static FieldValue retrievals(TraceModel trace, List<Step> byStart, String missingNote) {
        // Retrieval results an agent keeps in its state (retrieved_chunks, documents, context) count too, with where.
        ArrayNode items = NODES.arrayNode();
        for (Step step : byStart) {
            if (step.kind() != StepKind.RETRIEVER) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.put("step", step.name());
            item.set("query", step.input().map(Located::value).orElse(NODES.nullNode()));
            // Without a recorded output nobody knows what the retrieval returned: no count, rather than zero.
            item.set("documents", step.output().map(Located::value).orElse(NODES.nullNode()));
            if (step.output().isPresent()) {
                item.put("documents_count", documentCount(step.output().get().value()));
            } else {
                item.putNull("documents_count");
            }
            item.put("from", step.output().map(Located::from).orElse(step.where()));
        }
        RunFacts.retrievalsInState(trace, roots(byStart)).forEach(items::add);
        return items.isEmpty()
                ? FieldValue.missing("no retrieval step in the trace (Langfuse RETRIEVER, LangSmith retriever, "
                        + "OTel retrieval or OpenInference RETRIEVER, and no retrieved_chunks, documents or context in the run's outputs)"
                        + missingNote)
                : FieldValue.present(items, trace.stepsFrom() + " that are retrievals");
    }

    /** How many documents a retrieval returned: 0 for nothing, null or empty. */
    static int documentCount(JsonNode documents) {
        JsonNode value = JsonValues.decoded(documents);
        if (value.isObject() && value.has("documents")) {
            value = JsonValues.decoded(value.get("documents"));
        }
        if (!JsonValues.has(value)) {
            return 0;
        }
        return value.isArray() || value.isObject() ? value.size() : 1;
    }

    private static FieldValue toolCalls(
            TraceModel trace, List<Step> byStart, List<Step> modelCalls, String missingNote) {
        ArrayNode items = NODES.arrayNode();
        Set<String> callIds = new HashSet<>();
        List<Step> toolSteps =
                byStart.stream().filter(s -> s.kind() == StepKind.TOOL).toList();
        List<String> unmatchedNames = new ArrayList<>();
        for (Step step : toolSteps) {
            Optional<String> callId = attribute(step, TOOL_CALL_ID_KEYS).map(l -> text(l.value()));
            String tool =
                    attribute(step, TOOL_NAME_KEYS).map(l -> text(l.value())).orElse(step.name());
            callId.ifPresentOrElse(callIds::add, () -> unmatchedNames.add(tool));
            ObjectNode item = items.addObject();
            item.put("tool", tool);
            item.put("call_id", callId.orElse(null));
            item.set("request", step.input().map(Located::value).orElse(NODES.nullNode()));
            item.set("response", step.output().map(Located::value).orElse(NODES.nullNode()));
            // A tool that answered "it failed" inside a span that succeeded still failed.
            Optional<String> saysFailed =
                    step.failed() ? Optional.empty() : step.output().flatMap(out -> ToolFailure.of(out.value()));
            item.put(
                    "outcome",
                    step.failed() || saysFailed.isPresent()
                            ? "error"
                            : step.output().isPresent()
                                    ? "ok"
                                    : step.statusKnown() ? "succeeded, no response recorded" : "no response recorded");
            item.put(
                    "error",
                    step.error().map(Located::value).or(() -> saysFailed).orElse(null));
            item.put("step", step.name());
            item.put("from", step.where());
        }
        MessageToolCalls messages = MessageToolCalls.of(modelCalls);
        for (MessageToolCalls.Call call : messages.calls()) {
            if (callIds.contains(call.id()) || unmatchedNames.remove(call.tool())) {
                continue;
            }
            Optional<MessageToolCalls.Response> response = messages.responseTo(call.id());
            ObjectNode item = items.addObject();
            item.put("tool", call.tool());
            item.put("call_id", call.id());
            item.set("request", call.arguments());
            item.set(
                    "response", response.map(MessageToolCalls.Response::content).orElse(NODES.nullNode()));
            Optional<String> saysFailed =
                    response.flatMap(r -> r.isError() ? Optional.of(text(r.content())) : ToolFailure.of(r.content()));
            item.put(
                    "outcome",
                    response.map(r -> saysFailed.isPresent() ? "error" : "ok").orElse("no response recorded"));
            item.put("error", saysFailed.orElse(null));
            item.put("step", call.step());
            item.put(
                    "from",
                    call.from()
                            + response.map(r -> " (response: " + r.from() + ")").orElse(""));
        }
        return items.isEmpty()
                ? FieldValue.missing(
                        "no tool calls in the trace (no tool steps: looked for Langfuse TOOL, LangSmith tool, "
                                + "execute_tool, gen_ai.tool.*, OpenInference TOOL, traceloop.span.kind tool and ai.toolCall spans; and no tool calls in "
                                + "model messages)" + missingNote)
                : FieldValue.present(
                        items,
                        (toolSteps.isEmpty() ? "" : trace.stepsFrom() + " that are tool calls")
                                + (toolSteps.size() < items.size()
                                        ? (toolSteps.isEmpty() ? "" : ", and ") + "tool calls in model messages"
                                        : ""));
    }

    private static FieldValue approvals(List<Step> byStart, String missingNote) {
        ArrayNode items = NODES.arrayNode();
        for (Step step : byStart) {
            attribute(step, APPROVAL_DECISION)
                    .ifPresent(decision ->
                            items.add(approval(step, decision.value(), step.attributes(), decision.from())));
            for (int i = 0; i < step.events().size(); i++) {
                Located<JsonNode> event = step.events().get(i);
                JsonNode attributes = event.value().path("attributes");
                Optional<JsonNode> decision = JsonValues.attribute(List.of(attributes), APPROVAL_DECISION)
                        .or(() -> event.value().path("name").asText("").startsWith("approval")
                                ? JsonValues.attribute(List.of(attributes), "decision")
                                : Optional.empty());
                decision.ifPresent(d ->
                        items.add(approval(step, d, List.of(new Located<>(attributes, event.from())), event.from())));
            }
            if ((step.kind() == StepKind.GUARDRAIL || step.kind() == StepKind.EVENT)
                    && step.name().toLowerCase(java.util.Locale.ROOT).startsWith("approval")
                    && attribute(step, APPROVAL_DECISION).isEmpty()) {
                step.output()
                        .flatMap(out -> JsonValues.attribute(List.of(out.value()), "decision")
                                .map(d -> new Located<>(d, out.from())))
                        .ifPresent(d -> items.add(approval(
                                step,
                                d.value(),
                                List.of(new Located<>(step.output().get().value(), d.from())),
                                d.from())));
            }
        }
        return items.isEmpty()
                ? FieldValue.missing("no approval decision in the trace: agents record one as " + APPROVAL_DECISION
                        + " (metadata, span attribute or an 'approval' event; see docs/evidence.md)" + missingNote)
                : FieldValue.present(items, "steps recording " + APPROVAL_DECISION);
    }

    private static ObjectNode approval(Step step, JsonNode decision, List<Located<JsonNode>> context, String from) {
        ObjectNode item = NODES.objectNode();
        item.put("decision", text(decision));
        item.put(
                "approver",
                attribute(context, "approval.approver", "approver")
                        .map(l -> text(l.value()))
                        .orElse(null));
        item.put(
                "reason",
                attribute(context, "approval.reason", "reason")
                        .map(l -> text(l.value()))
                        .orElse(null));
        item.put(
                "action",
                attribute(context, "approval.action", "action")
                        .map(l -> text(l.value()))
                        .orElse(null));
        item.put("step", step.name());
        item.put("from", from);
        return item;
    }

    private static FieldValue errors(TraceModel trace, List<Step> byStart, String missingNote) {
        if (byStart.stream().noneMatch(Step::statusKnown)) {
            return FieldValue.missing("the steps do not record whether they failed" + missingNote);
        }
        ArrayNode items = NODES.arrayNode();
        for (Step step : byStart) {
            step.error().ifPresent(error -> {
                ObjectNode item = items.addObject();
                item.put("step", step.name());
                item.put("type", step.type());
                item.put("kind", step.kind().name());
                item.put("message", error.value());
                item.put("from", error.from());
            });
            // A tool step that succeeded but whose response says the tool failed is an error too.
            if (step.kind() == StepKind.TOOL && !step.failed()) {
                step.output()
                        .flatMap(out -> ToolFailure.of(out.value()).map(m -> new Located<>(m, out.from())))
                        .ifPresent(error -> {
                            ObjectNode item = items.addObject();
                            item.put("step", step.name());
                            item.put("type", step.type());
                            item.put("kind", step.kind().name());
                            item.put("message", error.value());
                            item.put("from", error.from());
                        });
            }
        }
        return FieldValue.present(items, trace.stepsFrom() + " status");
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
