package io.firebreak.bot.web;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.metrics.Metrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /metrics}: this replica's metrics in Prometheus' text format. With a token ({@code
 * FIREBREAK_METRICS_TOKEN}) it answers only {@code Authorization: Bearer <token>}, compared in constant time, and 401
 * JSON otherwise; without one it is open, like {@code /healthz}: it holds counts and timings, never incident content.
 */
public final class MetricsServlet extends HttpServlet {
    /** Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String BEARER = "Bearer ";

    private final transient Metrics metrics;
    private final transient Optional<Secret> token;
    private final transient JsonResponses json;

    public MetricsServlet(Metrics metrics, Optional<Secret> token, JsonResponses json) {
        this.metrics = metrics;
        this.token = token;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (token.isPresent() && !presented(req).filter(token.get()::matches).isPresent()) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"firebreak-metrics\"");
            json.error(resp, 401, "/metrics needs Authorization: Bearer <FIREBREAK_METRICS_TOKEN>");
            return;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static Optional<String> presented(HttpServletRequest req) {
        return Optional.ofNullable(req.getHeader("Authorization"))
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(h -> h.substring(BEARER.length()).trim());
    }
}
