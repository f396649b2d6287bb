package io.firebreak.bot.evidence;

import java.util.Optional;

/** The playbook's evidence fields, in the order they are shown. Names are stored: never rename one. */
public enum EvidenceField {
    RUN_ID("run_id", "run ID"),
    USER_INPUT("user_input", "user input"),
    AGENT_VERSION("agent_version", "agent version"),
    WORKFLOW_PATH("workflow_path", "workflow path"),
    PROMPT_NAME("prompt_name", "prompt name"),
    PROMPT_VERSION("prompt_version", "prompt version"),
    RETRIEVED_SOURCES("retrieved_sources", "retrieved sources"),
    TOOL_CALLS("tool_calls", "tool requests and responses"),
    APPROVAL_DECISIONS("approval_decisions", "approval decisions"),
    FINAL_OUTPUT("final_output", "final output"),
    ERRORS("errors", "errors"),
    USER_REPORT("user_report", "user report");

    private final String key;
    private final String label;

    EvidenceField(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** The JSON name, e.g. {@code tool_calls}. */
    public String key() {
        return key;
    }

    /** The words shown to people, e.g. {@code tool requests and responses}. */
    public String label() {
        return label;
    }

    public static Optional<EvidenceField> ofKey(String key) {
        for (EvidenceField field : values()) {
            if (field.key.equals(key)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
