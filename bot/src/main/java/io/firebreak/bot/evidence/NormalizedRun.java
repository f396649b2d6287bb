package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.evidence.FailurePoint;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.TraceSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's evidence in the playbook's fields. Every {@link EvidenceField} is there, present or missing: a field
 * nothing was read for is recorded as missing with the reason, never left out.
 *
 * @param notes what else a reader of the evidence should know (a partial trace, a tree that could not be loaded)
 */
public record NormalizedRun(
        TraceSource source,
        String runId,
        ParseStatus parseStatus,
        Map<EvidenceField, FieldValue> fields,
        List<String> notes,
        Optional<Suggestion> suggestion) {

    /** Version of the stored JSON shape. */
    public static final int FORMAT = 1;

    public NormalizedRun {
        EnumMap<EvidenceField, FieldValue> all = new EnumMap<>(EvidenceField.class);
        for (EvidenceField field : EvidenceField.values()) {
            all.put(
                    field,
                    fields.getOrDefault(field, FieldValue.missing("not read from " + source.label() + " traces")));
        }
        fields = java.util.Collections.unmodifiableMap(all);
        notes = List.copyOf(notes);
    }

    public FieldValue field(EvidenceField field) {
        return fields.get(field);
    }

    /** The fields that are present, in order. */
    public List<EvidenceField> presentFields() {
        return fields.entrySet().stream()
                .filter(e -> e.getValue().present())
                .map(Map.Entry::getKey)
                .toList();
    }

    public NormalizedRun withSuggestion(Optional<Suggestion> newSuggestion) {
        return new NormalizedRun(source, runId, parseStatus, fields, notes, newSuggestion);
    }

    /** The stored JSON form. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("format", FORMAT);
        node.put("source", source.name());
        node.put("run_id", runId);
        node.put("parse_status", parseStatus.name());
        ArrayNode notesNode = node.putArray("notes");
        notes.forEach(notesNode::add);
        ObjectNode fieldsNode = node.putObject("fields");
        fields.forEach((field, value) -> {
            ObjectNode f = fieldsNode.putObject(field.key());
            f.put("status", value.present() ? "present" : "missing");
            value.from().ifPresent(from -> f.put("from", from));
            value.reason().ifPresent(reason -> f.put("reason", reason));
            if (value.present()) {
                f.set("value", JsonValues.capped(value.value()));
            }
        });
        suggestion.ifPresentOrElse(
                s -> {
                    ObjectNode sn = node.putObject("suggested_failure_point");
                    sn.put("point", s.point().name());
                    sn.put("reason", s.reason());
                    sn.put("from", s.from());
                },
                () -> node.putNull("suggested_failure_point"));
        return node;
    }

    private static final ObjectMapper READER = new ObjectMapper();

    /** Reads the stored JSON text back. */
    public static NormalizedRun parse(String json) {
        try {
            return fromJson(READER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored evidence is not JSON", e);
        }
    }

    /** Reads the stored JSON form back. */
    public static NormalizedRun fromJson(JsonNode node) {
        Map<EvidenceField, FieldValue> fields = new EnumMap<>(EvidenceField.class);
        node.path("fields")
                .fields()
                .forEachRemaining(entry -> EvidenceField.ofKey(entry.getKey()).ifPresent(field -> {
                    JsonNode f = entry.getValue();
                    fields.put(
                            field,
                            "present".equals(f.path("status").asText())
                                    ? FieldValue.present(
                                            f.path("value"), f.path("from").asText())
                                    : FieldValue.missing(f.path("reason").asText()));
                }));
        List<String> notes = new ArrayList<>();
        node.path("notes").forEach(n -> notes.add(n.asText()));
        JsonNode s = node.path("suggested_failure_point");
        Optional<Suggestion> suggestion = s.isObject()
                ? FailurePoint.parse(s.path("point").asText())
                        .map(p -> new Suggestion(
                                p, s.path("reason").asText(), s.path("from").asText()))
                : Optional.empty();
        return new NormalizedRun(
                TraceSource.valueOf(node.path("source").asText()),
                node.path("run_id").asText(),
                ParseStatus.valueOf(node.path("parse_status").asText()),
                fields,
                notes,
                suggestion);
    }
}
