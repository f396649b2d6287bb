package io.firebreak.bot.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Predicate;

/** What one feature adds to the read API: fields on an incident, and endpoints of its own. */
public interface ApiExtension {

    /** Adds this feature's fields to the JSON of {@code GET /api/incidents/{key}}. */
    default void addTo(ObjectNode incidentJson, Incident incident) {}

    /**
     * Answers {@code GET /api/incidents/{key}/{rest}} when {@code rest} is its own (e.g. {@code postmortem.md});
     * returns false otherwise.
     */
    default boolean incidentEndpoint(Incident incident, String rest, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        return false;
    }

    /** Answers {@code GET /api/{path}} when the path is its own; returns false otherwise. */
    default boolean endpoint(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        return false;
    }

    /**
     * As {@link #endpoint(String, HttpServletRequest, HttpServletResponse)}, for a reader who may see only the incidents
     * {@code visible} accepts: an endpoint that reads across incidents leaves the others (private incidents) out.
     */
    default boolean endpoint(
            String path, Predicate<IncidentKey> visible, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        return endpoint(path, req, resp);
    }
}
