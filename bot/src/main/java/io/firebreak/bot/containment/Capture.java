package io.firebreak.bot.containment;

import java.util.Map;

/**
 * A request made before the action, whose answer holds what the undo must restore (e.g. the prompt version live
 * before a rollback). The values are kept with the action run.
 *
 * @param keep value name → JSON Pointer into the answer, e.g. {@code previous_version → /live_version}
 */
public record Capture(RequestTemplate request, Map<String, String> keep) {
    public Capture {
        keep = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keep));
    }
}
