package io.firebreak.bot.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes JSON bodies and JSON errors ({@code {"error": "…"}}) for the HTTP endpoints. */
public final class JsonResponses {
    private final ObjectMapper mapper;
    /** Made once: a writer is immutable and shared, and every answer would otherwise build its own. */
    private final ObjectWriter writer;

    public JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = mapper.writerWithDefaultPrettyPrinter();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Answers {@code body}: a tree, or any value Jackson writes as it is (a record), which is serialised straight to the
     * answer rather than through a tree first.
     */
    public void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        writer.writeValue(response.getOutputStream(), body);
    }

    public void error(HttpServletResponse response, int status, String message) throws IOException {
        write(response, status, mapper.createObjectNode().put("error", message));
    }
}
