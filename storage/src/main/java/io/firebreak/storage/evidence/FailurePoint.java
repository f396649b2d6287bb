package io.firebreak.storage.evidence;

import java.util.Locale;
import java.util.Optional;

/** Where an agent incident broke. */
public enum FailurePoint {
    PROMPT("the prompt or system instructions"),
    RETRIEVAL("retrieval did not return the right sources"),
    TOOL_PERMISSION("a tool was allowed (or refused) an action it should not have been"),
    TOOL_VALIDATION("a tool accepted or produced invalid input or output"),
    ROUTING_POLICY("the request was routed to the wrong agent, workflow or policy"),
    APPROVAL_VIEW("the person approving saw the wrong or too little information"),
    KNOWLEDGE_SOURCE("a knowledge source held wrong or outdated content"),
    MODEL("the model itself"),
    OTHER("somewhere else");

    private final String description;

    FailurePoint(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Parses {@code TOOL_VALIDATION}, {@code tool-validation} or {@code tool validation}. */
    public static Optional<FailurePoint> parse(String text) {
        try {
            return Optional.of(valueOf(
                    text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
