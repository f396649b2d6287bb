package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The facts a reviewer asks first about a run, read from its steps: which agent and workflow ran, on which model,
 * which model call gave the final answer, and the retrieval results the agent kept in its state.
 */
final class RunFacts {
    static final String[] AGENT_NAME_KEYS = {"gen_ai.agent.name", "agent.name", "agent_name", "ai.telemetry.functionId"
    };
    static final String[] WORKFLOW_KEYS = {
        "gen_ai.workflow.name",
        "traceloop.workflow.name",
        "workflow.name",
        "workflow_name",
        "langgraph_graph",
        "ai.operationId"
    };
    static final String[] MODEL_KEYS = {
        "gen_ai.response.model",
        "gen_ai.request.model",
        "llm.model_name",
        "ai.response.model",
        "ai.model.id",
        "ls_model_name",
        "model"
    };
    /** Keys of a run's outputs under which agents keep what they retrieved. */
    static final String[] STATE_RETRIEVAL_KEYS = {
        "retrieved_chunks", "retrieved_documents", "source_documents", "documents", "context"
    };

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunFacts() {}

    /**
     * The workflow path with the agent, workflow and model that ran added as {@code agent}, {@code workflow} and
     * {@code model} (each {@code {"name", "from"}}, or absent when the trace does not say).
     */
    static ObjectNode named(ObjectNode tree, List<Step> roots, List<Step> byStart) {
        List<Step> rootsFirst = new ArrayList<>(roots);
        byStart.stream().filter(s -> !roots.contains(s)).forEach(rootsFirst::add);
        Optional<Located<JsonNode>> agent = EvidenceExtractor.firstAttribute(rootsFirst, AGENT_NAME_KEYS);
        if (agent.isEmpty()) {
            // OpenLLMetry names an agent span by traceloop.entity.name; otherwise the outermost agent step's name.
            agent = rootsFirst.stream()
                    .filter(s -> s.kind() == StepKind.AGENT)
                    .findFirst()
                    .map(s -> EvidenceExtractor.attribute(s, "traceloop.entity.name")
                            .orElse(new Located<>(NODES.textNode(s.name()), s.where() + ".name")));
        }
        agent.ifPresent(a -> put(tree, "agent", a));
        Optional<Located<JsonNode>> workflow = EvidenceExtractor.firstAttribute(rootsFirst, WORKFLOW_KEYS);
        if (workflow.isEmpty() && roots.size() == 1) {
            Step root = roots.get(0);
            workflow = Optional.of(new Located<>(NODES.textNode(root.name()), root.where() + ".name"));
        }
        workflow.ifPresent(w -> put(tree, "workflow", w));
        List<Step> modelsFirst = new ArrayList<>(
                byStart.stream().filter(s -> s.kind() == StepKind.LLM).toList());
        byStart.stream().filter(s -> s.kind() != StepKind.LLM).forEach(modelsFirst::add);
        // The backend's own model field (Langfuse's generation model) first: it is what the backend resolved.
        modelsFirst.stream()
                .flatMap(s -> s.model().stream())
                .findFirst()
                .map(m -> new Located<JsonNode>(NODES.textNode(m.value()), m.from()))
                .or(() -> EvidenceExtractor.firstAttribute(modelsFirst, MODEL_KEYS))
                .ifPresent(m -> put(tree, "model", m));
        return tree;
    }

    private static void put(ObjectNode tree, String key, Located<JsonNode> value) {
        JsonNode v = value.value();
        tree.putObject(key)
                .put("name", v.isValueNode() ? v.asText() : v.toString())
                .put("from", value.from());
    }

    /**
     * Model calls, the top-level agent's first, each group latest-ending first: the final output is the
     * top-level agent's last turn, not the last model call of a sub-agent it called.
     */
    static List<Step> topLevelLastFirst(List<Step> modelCalls, List<Step> all) {
        Map<String, Step> byId = new HashMap<>();
        all.forEach(s -> byId.putIfAbsent(s.id(), s));
        // Agents above each step, worked out once per step id (memoized), so a deep chain costs linear time.
        Map<String, Integer> agentsAbove = new HashMap<>();
        Map<Step, Integer> depth = new java.util.IdentityHashMap<>();
        for (Step call : modelCalls) {
            depth.put(call, agentsAbove(call, byId, agentsAbove));
        }
        List<Step> ordered = new ArrayList<>(modelCalls);
        ordered.sort(Comparator.<Step>comparingInt(depth::get)
                .thenComparing(Comparator.comparingLong(Step::endNanos).reversed()));
        return ordered;
    }

    /** How many AGENT steps are above {@code step}; parent links that go round in a circle end the walk. */
    private static int agentsAbove(Step step, Map<String, Step> byId, Map<String, Integer> known) {
        List<Step> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Step at = step;
        int above = 0;
        while (true) {
            Optional<Step> parent = at.parentId().filter(seen::add).map(byId::get);
            if (parent.isEmpty()) {
                break;
            }
            Integer memo = known.get(parent.get().id());
            path.add(parent.get());
            if (memo != null) {
                above = memo;
                path.remove(path.size() - 1);
                above += parent.get().kind() == StepKind.AGENT ? 1 : 0;
                break;
            }
            at = parent.get();
        }
        // path holds the parents from nearest to farthest whose counts were not known; fill them in from the top.
        int count = above;
        for (int k = path.size() - 1; k >= 0; k--) {
            Step p = path.get(k);
            known.putIfAbsent(p.id(), count);
            count += p.kind() == StepKind.AGENT ? 1 : 0;
        }
        return count;
    }

    /** Retrieval results kept in the run's outputs (agent state), as retrieved-sources items with where they are. */
    static List<ObjectNode> retrievalsInState(TraceModel trace, List<Step> roots) {
        Optional<Located<JsonNode>> output = trace.output();
        for (Step root : roots) {
            if (output.isPresent()) {
                break;
            }
            output = root.output();
        }
        List<ObjectNode> items = new ArrayList<>();
        if (output.isEmpty() || !output.get().value().isObject()) {
            return items;
        }
        JsonNode state = output.get().value();
        for (String key : STATE_RETRIEVAL_KEYS) {
            Optional<Located<JsonNode>> documents =
                    JsonValues.located(state.path(key), output.get().from() + "." + key, true);
            if (documents.isEmpty()) {
                continue;
            }
            ObjectNode item = NODES.objectNode();
            item.put("step", "the run's outputs (" + key + ")");
            item.putNull("query");
            item.set("documents", documents.get().value());
            item.put(
                    "documents_count",
                    EvidenceExtractor.documentCount(documents.get().value()));
            item.put("from", documents.get().from());
            items.add(item);
        }
        return items;
    }
}
