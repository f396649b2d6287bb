package io.firebreak.storage.timeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One text per JSON value: object keys sorted, no insignificant whitespace. Hashes are taken over this
 * text, so the same event always hashes the same way.
 */
public final class CanonicalJson {
    private final ObjectMapper mapper;

    public CanonicalJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The canonical text of {@code node}. Parsing it back and writing it again gives the same text. */
    public String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
            write(node, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes {@code node}, reads it back and writes it again, so numbers take the form a re-read gives them. */
    public String normalize(JsonNode node) {
        return write(read(write(node)));
    }

    public JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void write(JsonNode node, JsonGenerator gen) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            gen.writeStartObject();
            for (String name : names) {
                gen.writeFieldName(name);
                write(node.get(name), gen);
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                write(element, gen);
            }
            gen.writeEndArray();
        } else {
            gen.writeTree(node);
        }
    }
}
