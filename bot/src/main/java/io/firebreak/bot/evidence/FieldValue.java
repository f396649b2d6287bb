package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Optional;

/**
 * One evidence field: its value and where in the trace it came from, or why it is missing. A list field whose
 * source recorded that nothing happened (no errors) is present with an empty list.
 *
 * @param from   where in the trace, e.g. {@code observations[id=5b99c3e3411ed17b].input}
 * @param reason why the field is missing, e.g. {@code the trace has no version or release}
 */
public record FieldValue(boolean present, JsonNode value, Optional<String> from, Optional<String> reason) {

    public static FieldValue present(JsonNode value, String from) {
        return new FieldValue(true, value, Optional.of(from), Optional.empty());
    }

    public static FieldValue missing(String reason) {
        return new FieldValue(false, NullNode.getInstance(), Optional.empty(), Optional.of(reason));
    }

    /** Number of items of a list value, 1 for any other present value, 0 when missing. */
    public int count() {
        if (!present) {
            return 0;
        }
        return value.isArray() ? value.size() : 1;
    }
}
