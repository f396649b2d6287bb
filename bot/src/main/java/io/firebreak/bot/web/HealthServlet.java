package io.firebreak.bot.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 when the replica is ready and the database answers; 503 with the reason while it is
 * starting (waiting for the database) or when the database does not answer. The readiness probe.
 *
 * <p>{@code GET /healthz?probe=liveness} answers 200 whenever this process serves HTTP, saying whether it is ready:
 * the liveness probe. A replica recovers by itself when its database comes back, so a database outage must take
 * replicas out of the load balancer (readiness), not restart them all (liveness).
 */
public final class HealthServlet extends HttpServlet {
    /** The {@code probe} parameter value of the liveness probe. */
    public static final String LIVENESS = "liveness";

    private final transient Database database;
    private final transient Readiness readiness;
    private final transient JsonResponses json;
    private final transient Supplier<String> slack;

    public HealthServlet(Database database, Readiness readiness, JsonResponses json) {
        this(database, readiness, json, () -> "http");
    }

    /**
     * {@code slack} says how Slack reaches this replica, shown as {@code "slack"}: {@code http}, or the state of the
     * Socket Mode connections ({@code socket: 2 of 2 connected}). It does not decide readiness: Slack's connections
     * recover by themselves, and the API and report intake served here do not need them.
     */
    public HealthServlet(Database database, Readiness readiness, JsonResponses json, Supplier<String> slack) {
        this.database = database;
        this.readiness = readiness;
        this.json = json;
        this.slack = slack;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (LIVENESS.equals(req.getParameter("probe"))) {
            ObjectNode alive =
                    json.mapper().createObjectNode().put("status", "alive").put("ready", readiness.isReady());
            readiness.waitingFor().ifPresent(reason -> alive.put("reason", reason));
            json.write(resp, 200, alive);
            return;
        }
        Optional<String> starting = readiness.waitingFor();
        Optional<String> problem = starting.isPresent() ? starting : database.problem();
        ObjectNode body = json.mapper().createObjectNode();
        body.put("status", problem.isEmpty() ? "ok" : starting.isPresent() ? "starting" : "unavailable");
        starting.ifPresent(reason -> body.put("reason", reason));
        ObjectNode db = body.putObject("database");
        db.put("status", problem.isEmpty() ? "up" : "down");
        problem.ifPresent(p -> db.put("reason", p));
        body.put("slack", slack.get());
        json.write(resp, problem.isEmpty() ? 200 : 503, body);
    }
}
