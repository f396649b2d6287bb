package io.firebreak.bot.containment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verification request made after the target accepted the action, and what its answer must show.
 *
 * @param status the expected status; empty means any 2xx
 * @param json   JSON Pointer → expected value (a template), e.g. {@code /live_version → {version}}
 */
public record Check(RequestTemplate request, Optional<Integer> status, Map<String, String> json) {
    public Check {
        json = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(json));
    }

    /**
     * What in the answer contradicts the expectation, e.g. {@code /live_version is "6", expected "7"}; empty
     * when the answer shows the action took effect.
     */
    public List<String> mismatches(int actualStatus, Optional<JsonNode> body, Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        if (status.map(s -> s != actualStatus).orElse(actualStatus < 200 || actualStatus > 299)) {
            problems.add("status " + actualStatus + ", expected "
                    + status.map(String::valueOf).orElse("2xx"));
        }
        json.forEach((pointer, template) -> {
            String expected = Placeholders.fill(template, n -> values.getOrDefault(n, ""));
            JsonNode found =
                    body.map(b -> b.at(pointer)).orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
            if (found.isMissingNode() || found.isNull()) {
                problems.add(pointer + " is missing, expected \"" + expected + "\"");
            } else if (!found.isValueNode() || !found.asText().equals(expected)) {
                problems.add(pointer + " is " + found + ", expected \"" + expected + "\"");
            }
        });
        return problems;
    }
}
