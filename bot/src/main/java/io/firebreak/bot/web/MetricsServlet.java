package io.firebreak.bot.web;

import io.firebreak.bot.platform.metrics.Metrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: this replica's metrics in Prometheus' text format. Unauthenticated, like {@code /healthz}:
 * it holds counts and timings, never incident content; keep it off the public ingress (see docs/operations.md).
 */
public final class MetricsServlet extends HttpServlet {
    /** Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient Metrics metrics;

    public MetricsServlet(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
