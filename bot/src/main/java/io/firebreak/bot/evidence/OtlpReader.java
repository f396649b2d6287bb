package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads OpenTelemetry traces as Jaeger and Grafana Tempo return them: OTLP JSON under {@code result} (Jaeger
 * API v3), {@code trace} (Tempo v2), {@code batches} (Tempo v1) or at the top ({@code resourceSpans}), and
 * Jaeger's older UI JSON ({@code data[].spans} with tags and logs). Spans are read with both the GenAI semantic
 * conventions ({@code gen_ai.*}) and OpenInference ({@code openinference.span.kind}, {@code input.value}, …), and
 * every other convention {@link SpanConventions} knows. Tempo's base64 IDs are read as hex ({@link TraceIds}).
 */
final class OtlpReader {
    static final String TRACE = "trace";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OtlpReader() {}

    static TraceModel read(String runId, List<ParsedPart> parts, List<String> fetchNotes) {
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>(fetchNotes);
        Optional<String> traceId = Optional.empty();
        boolean recognised = false;
        for (ParsedPart part : parts) {
            for (JsonNode root : part.roots()) {
                JsonNode resourceSpans = resourceSpans(root);
                if (resourceSpans.isArray()) {
                    recognised = true;
                    if ("PARTIAL".equals(root.path("status").asText())) {
                        notes.add("Tempo says the trace is partial"
                                + JsonValues.text(root.path("message"))
                                        .map(m -> ": " + m)
                                        .orElse(""));
                    }
                    for (JsonNode rs : resourceSpans) {
                        ObjectNode resource = attributes(rs.path("resource").path("attributes"));
                        JsonNode scopes =
                                rs.has("scopeSpans") ? rs.path("scopeSpans") : rs.path("instrumentationLibrarySpans");
                        for (JsonNode scope : scopes) {
                            for (JsonNode span : scope.path("spans")) {
                                steps.add(otlpSpan(span, resource));
                                traceId = traceId.or(() ->
                                        JsonValues.text(span.path("traceId")).map(TraceIds::hex));
                            }
                        }
                    }
                }
                for (JsonNode legacy : legacyTraces(root)) {
                    recognised = true;
                    for (JsonNode span : legacy.path("spans")) {
                        steps.add(jaegerSpan(
                                span,
                                legacy.path("processes")
                                        .path(span.path("processID").asText(""))));
                        traceId = traceId.or(() -> JsonValues.text(span.path("traceID")));
                    }
                }
            }
        }
        if (!recognised) {
            notes.add("no spans found: the response is neither OTLP JSON (Jaeger API v3, Tempo) nor Jaeger's UI JSON");
        }
        Located<String> id = traceId.map(t -> new Located<>(TraceIds.asRequested(t, runId), "spans[0].traceId"))
                .orElse(new Located<>(runId, "the requested trace ID (the response has no spans)"));
        return new TraceModel(id, steps, "spans[]", Optional.empty(), Optional.empty(), Optional.empty(), notes);
    }

    private static JsonNode resourceSpans(JsonNode root) {
        for (JsonNode candidate : List.of(
                root.path("result").path("resourceSpans"),
                root.path("trace").path("resourceSpans"),
                root.path("batches"),
                root.path("resourceSpans"))) {
            if (candidate.isArray()) {
                return candidate;
            }
        }
        return NODES.missingNode();
    }

    private static List<JsonNode> legacyTraces(JsonNode root) {
        List<JsonNode> traces = new ArrayList<>();
        if (root.path("data").isArray()) {
            root.path("data").forEach(t -> {
                if (t.path("spans").isArray()) {
                    traces.add(t);
                }
            });
        } else if (root.path("spans").isArray() && root.has("traceID")) {
            traces.add(root);
        }
        return traces;
    }

    private static Step otlpSpan(JsonNode span, ObjectNode resource) {
        String id = TraceIds.hex(span.path("spanId").asText(""));
        String where = "spans[spanId=" + id + "]";
        ObjectNode attrs = attributes(span.path("attributes"));
        List<Located<JsonNode>> events = new ArrayList<>();
        JsonNode spanEvents = span.path("events");
        for (int i = 0; i < spanEvents.size(); i++) {
            JsonNode e = spanEvents.get(i);
            ObjectNode event = NODES.objectNode();
            event.put("name", e.path("name").asText(""));
            event.set("attributes", attributes(e.path("attributes")));
            events.add(new Located<>(event, where + ".events[" + i + "]"));
        }
        StepKind kind = SpanConventions.kind(attrs, events);
        String type = SpanConventions.type(attrs);
        JsonNode status = span.path("status");
        String code = status.path("code").asText("");
        boolean failed = code.equals("2") || code.endsWith("ERROR");
        Optional<Located<String>> error = failed
                ? Optional.of(new Located<>(errorMessage(status, attrs, events), where + ".status"))
                : Optional.empty();
        return step(
                id,
                JsonValues.text(span.path("parentSpanId")).map(TraceIds::hex),
                kind,
                type,
                span.path("name").asText(type),
                where,
                JsonValues.epochNanos(span.path("startTimeUnixNano")),
                JsonValues.epochNanos(span.path("endTimeUnixNano")),
                attrs,
                resource,
                events,
                error);
    }

    private static Step jaegerSpan(JsonNode span, JsonNode process) {
        String id = span.path("spanID").asText("");
        String where = "spans[spanID=" + id + "]";
        ObjectNode attrs = NODES.objectNode();
        span.path("tags").forEach(tag -> attrs.set(tag.path("key").asText(""), tag.path("value")));
        ObjectNode resource = NODES.objectNode();
        JsonValues.text(process.path("serviceName")).ifPresent(name -> resource.put("service.name", name));
        process.path("tags").forEach(tag -> resource.set(tag.path("key").asText(""), tag.path("value")));
        List<Located<JsonNode>> events = new ArrayList<>();
        JsonNode logs = span.path("logs");
        for (int i = 0; i < logs.size(); i++) {
            ObjectNode fields = NODES.objectNode();
            logs.get(i).path("fields").forEach(f -> fields.set(f.path("key").asText(""), f.path("value")));
            ObjectNode event = NODES.objectNode();
            event.put("name", fields.path("event").asText("log"));
            event.set("attributes", fields);
            events.add(new Located<>(event, where + ".logs[" + i + "]"));
        }
        Optional<String> parent = Optional.empty();
        for (JsonNode ref : span.path("references")) {
            if ("CHILD_OF".equals(ref.path("refType").asText())
                    && ref.path("traceID").asText().equals(span.path("traceID").asText())) {
                parent = JsonValues.text(ref.path("spanID"));
                break;
            }
        }
        StepKind kind = SpanConventions.kind(attrs, events);
        String type = SpanConventions.type(attrs);
        boolean failed = attrs.path("error").asBoolean(false)
                || "ERROR".equals(attrs.path("otel.status_code").asText());
        Optional<Located<String>> error = failed
                ? Optional.of(new Located<>(
                        errorMessage(
                                NODES.objectNode()
                                        .put(
                                                "message",
                                                attrs.path("otel.status_description")
                                                        .asText("")),
                                attrs,
                                events),
                        where + ".tags[error]"))
                : Optional.empty();
        long start = span.path("startTime").asLong(Long.MAX_VALUE / 1000) * 1000;
        long end = start + span.path("duration").asLong(0) * 1000;
        return step(
                id,
                parent,
                kind,
                type,
                span.path("operationName").asText(type),
                where,
                start,
                end,
                attrs,
                resource,
                events,
                error);
    }

    private static Step step(
            String id,
            Optional<String> parent,
            StepKind kind,
            String type,
            String name,
            String where,
            long start,
            long end,
            ObjectNode attrs,
            ObjectNode resource,
            List<Located<JsonNode>> events,
            Optional<Located<String>> error) {
        String[] inputKeys = switch (kind) {
            case TOOL -> new String[] {"gen_ai.tool.call.arguments", "input.value"};
            case RETRIEVER -> new String[] {"gen_ai.retrieval.query.text", "input.value"};
            default -> new String[] {"gen_ai.input.messages", "input.value"};
        };
        String[] outputKeys = switch (kind) {
            case TOOL -> new String[] {"gen_ai.tool.call.result", "output.value"};
            case RETRIEVER -> new String[] {"gen_ai.retrieval.documents", "retrieval.documents", "output.value"};
            default -> new String[] {"gen_ai.output.messages", "output.value"};
        };
        String attrsFrom = where + ".attributes";
        return new Step(
                id,
                parent.filter(p -> !p.isEmpty()),
                kind,
                type,
                name,
                where,
                start,
                end,
                first(attrs, inputKeys, attrsFrom).or(() -> SpanConventions.input(kind, attrs, events, attrsFrom)),
                first(attrs, outputKeys, attrsFrom).or(() -> SpanConventions.output(kind, attrs, events, attrsFrom)),
                error,
                true,
                List.of(new Located<>(attrs, attrsFrom), new Located<>(resource, where + " resource.attributes")),
                events,
                JsonValues.text(attrs.path("gen_ai.agent.version"))
                        .map(v -> new Located<>(v, attrsFrom + "[gen_ai.agent.version]")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    private static Optional<Located<JsonNode>> first(ObjectNode attrs, String[] keys, String attrsFrom) {
        for (String key : keys) {
            // A retrieval that returned an empty list recorded that it found nothing: keep it.
            Optional<Located<JsonNode>> value = JsonValues.located(
                    attrs.path(key), attrsFrom + "[" + key + "]", key.contains("retrieval.documents"));
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static String errorMessage(JsonNode status, JsonNode attrs, List<Located<JsonNode>> events) {
        Optional<String> message = JsonValues.text(status.path("message"))
                .or(() -> JsonValues.text(attrs.path("error.type")))
                .or(() -> JsonValues.text(attrs.path("exception.message")));
        for (Located<JsonNode> event : events) {
            if (message.isPresent()) {
                break;
            }
            JsonNode a = event.value().path("attributes");
            message = JsonValues.text(a.path("exception.message"))
                    .or(() -> JsonValues.text(a.path("error.object")))
                    .or(() -> JsonValues.text(a.path("message")));
        }
        // An HTTP client span that failed often says nothing but its status: say that.
        return message.or(() -> JsonValues.text(attrs.path("http.response.status_code"))
                        .or(() -> JsonValues.text(attrs.path("http.status_code")))
                        .map(code -> "HTTP " + code))
                .orElse("");
    }

    /**
     * OTLP attributes ({@code [{"key", "value": {"stringValue"|"intValue"|…}}]}) as one flat object. Attributes
     * flattened with indexes ({@code retrieval.documents.0.document.content}) are also gathered back into arrays.
     */
    static ObjectNode attributes(JsonNode list) {
        ObjectNode flat = NODES.objectNode();
        if (!list.isArray()) {
            return flat;
        }
        for (JsonNode attribute : list) {
            flat.set(attribute.path("key").asText(""), value(attribute.path("value")));
        }
        gatherIndexed(flat, "retrieval.documents");
        return flat;
    }

    private static JsonNode value(JsonNode any) {
        if (any.has("stringValue")) {
            return any.get("stringValue");
        }
        if (any.has("intValue")) {
            JsonNode v = any.get("intValue");
            return v.isTextual() && v.asText().matches("-?\\d{1,18}")
                    ? NODES.numberNode(Long.parseLong(v.asText()))
                    : v;
        }
        if (any.has("doubleValue")) {
            return any.get("doubleValue");
        }
        if (any.has("boolValue")) {
            return any.get("boolValue");
        }
        if (any.has("arrayValue")) {
            ArrayNode array = NODES.arrayNode();
            any.path("arrayValue").path("values").forEach(v -> array.add(value(v)));
            return array;
        }
        if (any.has("kvlistValue")) {
            return attributes(any.path("kvlistValue").path("values"));
        }
        if (any.has("bytesValue")) {
            return any.get("bytesValue");
        }
        return NODES.nullNode();
    }

    /** Turns {@code prefix.0.x}, {@code prefix.1.x} keys into one array at {@code prefix} (OpenInference style). */
    private static void gatherIndexed(ObjectNode flat, String prefix) {
        TreeMap<Integer, ObjectNode> items = new TreeMap<>();
        List<String> names = new ArrayList<>();
        flat.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (!name.startsWith(prefix + ".")) {
                continue;
            }
            String rest = name.substring(prefix.length() + 1);
            int dot = rest.indexOf('.');
            if (dot <= 0 || !rest.substring(0, dot).matches("\\d{1,6}")) {
                continue;
            }
            items.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), i -> NODES.objectNode())
                    .set(rest.substring(dot + 1), flat.get(name));
        }
        if (!items.isEmpty() && !flat.has(prefix)) {
            ArrayNode array = NODES.arrayNode();
            items.values().forEach(array::add);
            flat.set(prefix, array);
        }
    }
}
