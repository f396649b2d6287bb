package io.firebreak.bot.incident.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.firebreak.bot.access.AccessPolicy;
import io.firebreak.bot.access.ApiToken;
import io.firebreak.bot.access.ApiTokens;
import io.firebreak.bot.access.Decision;
import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.web.ApiActions;
import io.firebreak.bot.web.ApiExtension;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.Database;
import io.firebreak.storage.incident.IncidentKey;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read API under {@code /api}, for integrations and dashboards. Every request needs
 * {@code Authorization: Bearer <token>} with a token of {@code FIREBREAK_API_TOKENS} (or {@code FIREBREAK_API_TOKEN});
 * with no token configured it answers 401 to everyone. What a token may read is decided by the {@link AccessPolicy}
 * from its scopes: 403 otherwise.
 */
public final class ApiServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    private static final Pattern INCIDENT = Pattern.compile("/incidents/([^/]+)(?:/(.+?))?/?");

    private final transient ApiTokens tokens;
    private final transient AccessPolicy policy;
    private final transient Visibility visibility;
    private final transient IncidentService incidents;
    private final transient JsonResponses json;
    private final transient IncidentJson shapes;
    private final transient java.util.List<ApiExtension> extensions;

    public ApiServlet(
            ApiTokens tokens,
            AccessPolicy policy,
            Visibility visibility,
            IncidentService incidents,
            JsonResponses json,
            java.util.List<ApiExtension> extensions) {
        this.tokens = tokens;
        this.policy = policy;
        this.visibility = visibility;
        this.incidents = incidents;
        this.json = json;
        this.shapes = new IncidentJson(json.mapper());
        this.extensions = java.util.List.copyOf(extensions);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<ApiToken> token = authorized(req, resp);
        if (token.isEmpty()) {
            return;
        }
        String path = Optional.ofNullable(req.getPathInfo()).orElse("/");
        Decision decision = policy.decide(token.get(), ApiActions.of(path), Optional.empty());
        if (decision.refused()) {
            json.error(resp, 403, decision.reason().orElse("not allowed"));
            return;
        }
        try {
            route(path, token.get(), req, resp);
        } catch (RuntimeException e) {
            String reason = Database.describeFailure(e);
            log.error("read API {} failed: {}", path, reason, e);
            json.error(resp, 503, "storage is unavailable: " + reason);
        }
    }

    private void route(String path, ApiToken token, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (path.equals("/incidents") || path.equals("/incidents/")) {
            ArrayNode list = json.mapper().createArrayNode();
            visibility
                    .visibleTo(token, incidents.listOpen(visibility.readableWith(token)))
                    .forEach(i -> list.add(shapes.summary(i)));
            json.write(resp, 200, json.mapper().createObjectNode().set("incidents", list));
            return;
        }
        if (hidden(path, token)) {
            // A private incident this token may not see answers exactly as one that does not exist: its key says
            // nothing.
            json.error(resp, 404, "no incident " + INCIDENT.matcher(path).replaceFirst("$1"));
            return;
        }
        for (ApiExtension extension : extensions) {
            if (extension.endpoint(
                    path,
                    k -> incidents.find(k).map(i -> visibility.canSee(token, i)).orElse(false),
                    req,
                    resp)) {
                return;
            }
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
        String rest = m.group(2);
        if ("timeline/verify".equals(rest)) {
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> verified =
                    incidents.verify(key.get()).map(shapes::verification);
            if (verified.isPresent()) {
                json.write(resp, 200, verified.get());
            } else {
                json.error(resp, 404, "no incident " + key.get());
            }
            return;
        }
        if (rest != null) {
            Optional<io.firebreak.storage.incident.Incident> incident = incidents.find(key.get());
            if (incident.isEmpty()) {
                json.error(resp, 404, "no incident " + key.get());
                return;
            }
            for (ApiExtension extension : extensions) {
                if (extension.incidentEndpoint(incident.get(), rest, req, resp)) {
                    return;
                }
            }
            json.error(resp, 404, "no such endpoint: /api" + path);
            return;
        }
        Optional<IncidentService.IncidentDetails> details = incidents.withTimeline(key.get());
        if (details.isPresent()) {
            com.fasterxml.jackson.databind.node.ObjectNode body =
                    shapes.withTimeline(details.get().incident(), details.get().events());
            extensions.forEach(e -> e.addTo(body, details.get().incident()));
            json.write(resp, 200, body);
        } else {
            json.error(resp, 404, "no incident " + key.get());
        }
    }

    /** True when {@code path} names, under {@code /incidents/}, an incident that {@code token} may not see. */
    private boolean hidden(String path, ApiToken token) {
        Matcher m = INCIDENT.matcher(path);
        return m.matches()
                && IncidentKey.parse(m.group(1))
                        .flatMap(incidents::find)
                        .filter(i -> !visibility.canSee(token, i))
                        .isPresent();
    }

    /** The token presented, or empty once 401 is answered. */
    private Optional<ApiToken> authorized(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (tokens.isEmpty()) {
            json.error(resp, 401, "the read API is off: set FIREBREAK_API_TOKEN to turn it on");
            return Optional.empty();
        }
        String header = Optional.ofNullable(req.getHeader("Authorization")).orElse("");
        Optional<ApiToken> token = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.find(header.substring(7).trim())
                : Optional.empty();
        if (token.isEmpty()) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"firebreak\"");
            json.error(resp, 401, "missing or wrong bearer token");
        }
        return token;
    }
}
