package io.firebreak.bot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.bot.web.CachedBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Times every request to {@code /slack/events} from its arrival at Jetty (so time queued for a thread counts) to
 * the answer, by kind and command, and records it as Slack's ack time. A request that fails Slack's signature
 * check names no command: only Slack may add label values.
 */
public final class SlackRequestMetrics extends HttpFilter {
    private final transient Metrics metrics;
    private final transient Set<String> subcommands;
    private final transient ObjectMapper mapper;

    public SlackRequestMetrics(Metrics metrics, Set<String> subcommands, ObjectMapper mapper) {
        this.metrics = metrics;
        this.subcommands = Set.copyOf(subcommands);
        this.mapper = mapper;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        long arrived = arrival(req);
        if (!"POST".equals(req.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        CachedBodyRequest cached =
                new CachedBodyRequest(req, req.getInputStream().readAllBytes());
        SlackRequestKind kind =
                SlackRequestKind.of(new String(cached.body(), StandardCharsets.UTF_8), subcommands, mapper);
        try {
            chain.doFilter(cached, res);
        } finally {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - arrived);
            int status = res.getStatus();
            boolean verified = status != HttpServletResponse.SC_UNAUTHORIZED;
            metrics.slackRequest(kind.kind(), verified ? kind.command() : "", status, elapsed);
            metrics.slackAck(kind.kind(), elapsed);
        }
    }

    /** When Jetty received the request, in {@link System#nanoTime()} terms; now if Jetty cannot say. */
    private static long arrival(HttpServletRequest req) {
        try {
            return ServletContextRequest.getServletContextRequest(req).getBeginNanoTime();
        } catch (RuntimeException e) {
            return System.nanoTime();
        }
    }
}
