package io.firebreak.bot.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Answers 503 "starting" (with {@code Retry-After}) to every request but the health check and metrics until the
 * replica is {@linkplain Readiness ready}, so nothing is half-handled against a database that is not there yet.
 * Slack retries its events; a load balancer sends nothing here until {@code /healthz} says 200.
 */
public final class StartupGate extends HttpFilter {
    private static final Set<String> ALWAYS_OPEN = Set.of("/healthz", "/metrics");
    static final int RETRY_AFTER_SECONDS = 5;

    private final transient Readiness readiness;
    private final transient JsonResponses json;

    public StartupGate(Readiness readiness, JsonResponses json) {
        this.readiness = readiness;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        Optional<String> waiting = readiness.waitingFor();
        if (waiting.isEmpty() || ALWAYS_OPEN.contains(req.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        res.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        json.error(res, 503, "Firebreak is starting: " + waiting.get());
    }
}
