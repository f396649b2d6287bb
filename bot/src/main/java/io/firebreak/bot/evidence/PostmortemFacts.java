package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.platform.text.TextLimits;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The postmortem's facts of one attached run, in Markdown: what ran (agent and version, workflow, prompt and its
 * version, model), what went in and came out (cut and redacted), the tool calls (failed first), the retrieved
 * sources, the approval decisions, and the frozen snapshot with its SHA-256. Text from the trace is redacted.
 */
final class PostmortemFacts {
    /** Longest input or output quoted in the postmortem; the snapshot keeps it all. */
    static final int QUOTE = 300;

    static final int LIST_ITEMS = 10;

    /** Where the frozen snapshot is. */
    record Snapshot(String incidentKey, int seq, String sha256) {}

    /**
     * A prompt rollback made during the incident, with the version that was live before it (captured by the
     * containment action, for its undo).
     */
    record PromptRollback(String prompt, String toVersion, String liveBefore) {}

    private PostmortemFacts() {}

    /** One sentence: which agent and prompt version produced the run's output. */
    static String summary(String runId, NormalizedRun run) {
        JsonNode path = run.field(EvidenceField.WORKFLOW_PATH).value();
        String agent = name(path, "agent").map(a -> "agent " + code(a)).orElse("an agent the trace does not name");
        String version = text(run, EvidenceField.AGENT_VERSION)
                .map(v -> " version " + code(v))
                .orElse(" (version not recorded)");
        String prompt = text(run, EvidenceField.PROMPT_NAME)
                .map(p -> "prompt " + code(p))
                .orElse("an unnamed prompt");
        String promptVersion = text(run, EvidenceField.PROMPT_VERSION)
                .map(v -> " version " + code(v))
                .orElse(" (version not recorded)");
        return "Run " + code(runId) + " was produced by " + agent + version + " with " + prompt + promptVersion
                + name(path, "model").map(m -> " on model " + code(m)).orElse("") + ".";
    }

    /** The run's facts as a Markdown list. */
    static String markdown(String runId, NormalizedRun run, Snapshot snapshot, List<PromptRollback> rollbacks) {
        JsonNode path = run.field(EvidenceField.WORKFLOW_PATH).value();
        StringBuilder md = new StringBuilder();
        md.append("**Run ")
                .append(code(runId))
                .append("**: ")
                .append(summary(runId, run))
                .append('\n');
        line(
                md,
                "Agent",
                name(path, "agent").map(PostmortemFacts::code).orElse("not recorded")
                        + text(run, EvidenceField.AGENT_VERSION)
                                .map(v -> ", version " + code(v))
                                .orElse(", version not recorded"));
        line(
                md,
                "Workflow",
                name(path, "workflow").map(PostmortemFacts::code).orElse("not recorded")
                        + (path.path("steps").isInt()
                                ? " (" + path.path("steps").asInt() + " steps)"
                                : ""));
        line(
                md,
                "Prompt",
                text(run, EvidenceField.PROMPT_NAME).map(PostmortemFacts::code).orElse("not recorded")
                        + text(run, EvidenceField.PROMPT_VERSION)
                                .map(v -> ", version " + code(v))
                                .orElse(", version not recorded")
                        + rollback(text(run, EvidenceField.PROMPT_NAME), rollbacks));
        line(md, "Model", name(path, "model").map(PostmortemFacts::code).orElse("not recorded"));
        line(md, "User input", quote(run.field(EvidenceField.USER_INPUT)));
        line(md, "Final output", quote(run.field(EvidenceField.FINAL_OUTPUT)));
        line(md, "Tool calls", toolCalls(run.field(EvidenceField.TOOL_CALLS)));
        line(md, "Retrieved sources", sources(run.field(EvidenceField.RETRIEVED_SOURCES)));
        line(md, "Approval decisions", approvals(run.field(EvidenceField.APPROVAL_DECISIONS)));
        line(
                md,
                "Frozen snapshot",
                "[snapshot " + snapshot.seq() + "](/api/incidents/" + snapshot.incidentKey() + "/runs/"
                        + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "), SHA-256 `" + snapshot.sha256() + "`");
        return md.toString();
    }

    /** The rollback of this run's prompt (or the only one, when the run names no prompt), with the version live before. */
    private static String rollback(Optional<String> prompt, List<PromptRollback> rollbacks) {
        List<PromptRollback> matching = rollbacks.stream()
                .filter(r -> prompt.map(r.prompt()::equals).orElse(rollbacks.size() == 1))
                .toList();
        return matching.isEmpty()
                ? ""
                : "; live before the rollback: " + code(matching.get(0).liveBefore()) + " (rolled back to "
                        + code(matching.get(0).toVersion()) + " during the incident)";
    }

    private static String toolCalls(FieldValue field) {
        if (!field.present()) {
            return "none recorded";
        }
        List<JsonNode> failedFirst = new ArrayList<>();
        field.value().forEach(t -> {
            if ("error".equals(t.path("outcome").asText())) {
                failedFirst.add(t);
            }
        });
        field.value().forEach(t -> {
            if (!"error".equals(t.path("outcome").asText())) {
                failedFirst.add(t);
            }
        });
        List<String> shown = new ArrayList<>();
        for (JsonNode t : failedFirst.subList(0, Math.min(LIST_ITEMS, failedFirst.size()))) {
            boolean failed = "error".equals(t.path("outcome").asText());
            shown.add(code(t.path("tool").asText())
                    + (failed
                            ? " **failed**"
                                    + (t.path("error").asText("").isBlank()
                                            ? ""
                                            : ": "
                                                    + safe(TextLimits.cut(
                                                            t.path("error").asText(), 120)))
                            : " → " + safe(t.path("outcome").asText())));
        }
        return String.join("; ", shown) + more(failedFirst.size());
    }

    private static String sources(FieldValue field) {
        if (!field.present()) {
            return "none recorded";
        }
        List<String> shown = new ArrayList<>();
        for (JsonNode r : field.value()) {
            if (shown.size() == LIST_ITEMS) {
                break;
            }
            shown.add(safe(r.path("step").asText()) + ": "
                    + (r.path("documents_count").isInt()
                            ? r.path("documents_count").asInt() + " document(s)"
                            : "result not recorded")
                    + " (" + safe(r.path("from").asText()) + ")");
        }
        return String.join("; ", shown) + more(field.value().size());
    }

    private static String approvals(FieldValue field) {
        if (!field.present()) {
            return "none recorded";
        }
        List<String> shown = new ArrayList<>();
        for (JsonNode a : field.value()) {
            if (shown.size() == LIST_ITEMS) {
                break;
            }
            shown.add(safe(a.path("decision").asText())
                    + (a.path("approver").isTextual()
                            ? " by " + safe(a.path("approver").asText())
                            : "")
                    + (a.path("action").isTextual()
                            ? " for " + safe(a.path("action").asText())
                            : ""));
        }
        return String.join("; ", shown) + more(field.value().size());
    }

    private static String more(int size) {
        return size > LIST_ITEMS ? "; …and " + (size - LIST_ITEMS) + " more in the snapshot" : "";
    }

    /** A quoted value, cut to a readable length and redacted, or why it is missing. */
    private static String quote(FieldValue field) {
        if (!field.present()) {
            return "missing (" + safe(TextLimits.cut(field.reason().orElse(""), 200)) + ")";
        }
        JsonNode v = field.value();
        String text = v.isTextual() ? v.asText() : v.toString();
        return "“" + safe(TextLimits.cut(text, QUOTE)) + "”";
    }

    private static Optional<String> name(JsonNode path, String key) {
        return JsonValues.text(path.path(key).path("name"));
    }

    private static Optional<String> text(NormalizedRun run, EvidenceField field) {
        FieldValue value = run.field(field);
        return value.present() ? JsonValues.text(value.value()) : Optional.empty();
    }

    private static void line(StringBuilder md, String label, String value) {
        md.append("- ").append(label).append(": ").append(value).append('\n');
    }

    /** Trace text made safe for one Markdown line: redacted, on one line, no stray code or table marks. */
    private static String safe(String text) {
        return Redactor.redact(text)
                .replaceAll("\\s+", " ")
                .replace("`", "'")
                .replace("|", "/")
                .strip();
    }

    private static String code(String text) {
        return "`" + safe(TextLimits.cut(text, 120)) + "`";
    }
}
