package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow path: a run's steps as a tree, children in the order they started. Steps whose parent is not in
 * the trace (or whose parent links go round in a circle) become roots, so no step is ever dropped.
 */
final class StepTree {
    /** Deeper steps are shown at this depth, so the stored JSON stays well within parsers' nesting limits. */
    static final int MAX_DEPTH = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StepTree() {}

    /** {@code {"steps": n, "roots": [{"id", "type", "name", "status", "children": […]}, …]}}. */
    static ObjectNode build(List<Step> steps) {
        List<Step> ordered = new ArrayList<>(steps);
        ordered.sort(Comparator.comparingLong(Step::startNanos));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            index.putIfAbsent(ordered.get(i).id(), i);
        }
        int[] parent = new int[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            Integer p = ordered.get(i).parentId().map(index::get).orElse(null);
            parent[i] = p == null || p == i ? -1 : p;
        }
        breakCycles(parent);
        int[] attachTo = shallowEnoughParents(parent);
        ObjectNode[] nodes = new ObjectNode[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            Step step = ordered.get(i);
            ObjectNode node = NODES.objectNode();
            node.put("id", step.id());
            node.put("type", step.type());
            node.put("name", step.name());
            node.put("status", step.failed() ? "error" : step.statusKnown() ? "ok" : "unknown");
            node.putArray("children");
            nodes[i] = node;
        }
        ObjectNode tree = NODES.objectNode();
        tree.put("steps", ordered.size());
        ArrayNode roots = tree.putArray("roots");
        for (int i = 0; i < ordered.size(); i++) {
            int p = attachTo[i];
            (p < 0 ? roots : (ArrayNode) nodes[p].get("children")).add(nodes[i]);
        }
        return tree;
    }

    /** Cuts every circle of parent links at one of its steps, which becomes a root. */
    private static void breakCycles(int[] parent) {
        int[] state = new int[parent.length]; // 0 unseen, 1 on the current path, 2 settled
        for (int start = 0; start < parent.length; start++) {
            List<Integer> path = new ArrayList<>();
            int i = start;
            while (i >= 0 && state[i] == 0) {
                state[i] = 1;
                path.add(i);
                i = parent[i];
            }
            if (i >= 0 && state[i] == 1) {
                parent[i] = -1;
            }
            path.forEach(p -> state[p] = 2);
        }
    }

    /**
     * Each step's parent, or its ancestor at depth {@code MAX_DEPTH - 1} when the step is deeper than that. Linear
     * in the number of steps however deep the tree (a 20,000-step chain included): each step's depth is worked out
     * once, walking up only to the first ancestor already known, without recursion.
     */
    private static int[] shallowEnoughParents(int[] parent) {
        int n = parent.length;
        int[] depth = new int[n];
        int[] cap = new int[n]; // the ancestor-or-self at depth MAX_DEPTH - 1, for steps at least that deep
        java.util.Arrays.fill(depth, -1);
        int[] path = new int[n];
        for (int start = 0; start < n; start++) {
            int length = 0;
            for (int i = start; i >= 0 && depth[i] < 0; i = parent[i]) {
                path[length++] = i;
            }
            for (int k = length - 1; k >= 0; k--) {
                int i = path[k];
                int p = parent[i];
                depth[i] = p < 0 ? 0 : depth[p] + 1;
                cap[i] = depth[i] == MAX_DEPTH - 1 ? i : depth[i] >= MAX_DEPTH ? cap[p] : -1;
            }
        }
        int[] attachTo = new int[n];
        for (int i = 0; i < n; i++) {
            attachTo[i] = depth[i] <= MAX_DEPTH - 1 ? parent[i] : cap[parent[i]];
        }
        return attachTo;
    }
}
