package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.text.TextLimits;
import java.util.ArrayList;
import java.util.List;

/** What changed between two snapshots of one run: the raw bytes, and each evidence field. */
public final class SnapshotDiff {
    private static final ObjectMapper READER = new ObjectMapper();

    private SnapshotDiff() {}

    /**
     * {@code {"previous_snapshot", "raw_identical", "fields": [{"field", "before", "after"}], "summary"}}, comparing
     * the field values of {@code after} with those of {@code before} (snapshot {@code beforeSeq}).
     */
    public static ObjectNode between(
            ObjectMapper mapper,
            int beforeSeq,
            String beforeSha256,
            NormalizedRun before,
            String afterSha256,
            NormalizedRun after) {
        ObjectNode diff = mapper.createObjectNode();
        diff.put("previous_snapshot", beforeSeq);
        boolean rawIdentical = beforeSha256.equals(afterSha256);
        diff.put("raw_identical", rawIdentical);
        ArrayNode fields = diff.putArray("fields");
        List<String> said = new ArrayList<>();
        for (EvidenceField field : EvidenceField.values()) {
            FieldValue was = before.field(field);
            FieldValue now = after.field(field);
            if (was.present() == now.present()
                    && (!now.present() || JsonValues.capped(was.value()).equals(JsonValues.capped(now.value())))) {
                continue;
            }
            String from = describe(was);
            String to = describe(now);
            if (from.equals(to)) {
                to = to + " (changed)";
            }
            fields.addObject().put("field", field.key()).put("before", from).put("after", to);
            said.add(field.label() + " " + from + " → " + to);
        }
        String summary;
        if (said.isEmpty()) {
            summary = rawIdentical
                    ? "nothing changed since snapshot " + beforeSeq + " (same SHA-256)"
                    : "the raw response differs from snapshot " + beforeSeq + ", but no evidence field changed";
        } else {
            summary = "since snapshot " + beforeSeq + ": " + String.join("; ", said);
        }
        diff.put("summary", summary);
        return diff;
    }

    /** The {@code summary} of a stored diff's JSON text. */
    public static String summary(String changesJson) {
        try {
            return READER.readTree(changesJson).path("summary").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored changes are not JSON", e);
        }
    }

    /** A few words for a field's value: {@code missing}, {@code 3 items}, or a short quote. */
    static String describe(FieldValue value) {
        if (!value.present()) {
            return "missing";
        }
        JsonNode v = value.value();
        if (v.isArray()) {
            return v.size() == 1 ? "1 item" : v.size() + " items";
        }
        if (v.isValueNode()) {
            return "\"" + TextLimits.cut(v.asText(), 60) + "\"";
        }
        if (v.has("steps")) {
            return v.path("steps").asInt() + " steps";
        }
        return "present";
    }
}
