package io.firebreak.bot.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.firebreak.bot.config.Secret;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.storage.Database;
import io.firebreak.storage.incident.IncidentKey;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read API under {@code /api}, for integrations and dashboards. Every request needs
 * {@code Authorization: Bearer <FIREBREAK_API_TOKEN>}; with no token configured it answers 401 to everyone.
 */
public final class ApiServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    private static final Pattern INCIDENT = Pattern.compile("/incidents/([^/]+)(/timeline/verify)?/?");

    private final transient Optional<Secret> token;
    private final transient IncidentService incidents;
    private final transient JsonResponses json;
    private final transient IncidentJson shapes;
    private final transient java.util.List<ApiRoute> routes;

    public ApiServlet(Optional<Secret> token, IncidentService incidents, JsonResponses json) {
        this(token, incidents, json, java.util.List.of());
    }

    /** With {@code routes}: features' endpoints, tried before the incident endpoints. */
    public ApiServlet(Optional<Secret> token, IncidentService incidents, JsonResponses json, java.util.List<ApiRoute> routes) {
        this.token = token;
        this.incidents = incidents;
        this.json = json;
        this.shapes = new IncidentJson(json.mapper());
        this.routes = java.util.List.copyOf(routes);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!authorized(req, resp)) {
            return;
        }
        String path = Optional.ofNullable(req.getPathInfo()).orElse("/");
        try {
            route(path, resp);
        } catch (RuntimeException e) {
            String reason = Database.describeFailure(e);
            log.error("read API {} failed: {}", path, reason, e);
            json.error(resp, 503, "storage is unavailable: " + reason);
        }
    }

    private void route(String path, HttpServletResponse resp) throws IOException {
        for (ApiRoute route : routes) {
            if (route.serve(path, resp)) {
                return;
            }
        }
        if (path.equals("/incidents") || path.equals("/incidents/")) {
            ArrayNode list = json.mapper().createArrayNode();
            incidents.listOpen().forEach(i -> list.add(shapes.summary(i)));
            json.write(resp, 200, json.mapper().createObjectNode().set("incidents", list));
            return;
        }
        Matcher m = INCIDENT.matcher(path);
        if (!m.matches()) {
            json.error(resp, 404, "no such endpoint: /api" + path);
            return;
        }
        Optional<IncidentKey> key = IncidentKey.parse(m.group(1));
        if (key.isEmpty()) {
            json.error(resp, 404, "not an incident key: " + m.group(1) + " (keys look like INC-12)");
            return;
        }
        if (m.group(2) != null) {
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> verified = incidents.verify(key.get()).map(shapes::verification);
            if (verified.isPresent()) {
                json.write(resp, 200, verified.get());
            } else {
                json.error(resp, 404, "no incident " + key.get());
            }
            return;
        }
        Optional<IncidentService.IncidentDetails> details = incidents.withTimeline(key.get());
        if (details.isPresent()) {
            json.write(resp, 200, shapes.withTimeline(details.get().incident(), details.get().events()));
        } else {
            json.error(resp, 404, "no incident " + key.get());
        }
    }

    private boolean authorized(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (token.isEmpty()) {
            json.error(resp, 401, "the read API is off: set FIREBREAK_API_TOKEN to turn it on");
            return false;
        }
        String header = Optional.ofNullable(req.getHeader("Authorization")).orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || !token.get().matches(header.substring(7).trim())) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"firebreak\"");
            json.error(resp, 401, "missing or wrong bearer token");
            return false;
        }
        return true;
    }
}
