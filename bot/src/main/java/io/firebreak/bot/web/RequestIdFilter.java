package io.firebreak.bot.web;

import io.firebreak.bot.platform.logging.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Gives every HTTP request a request id for its log lines: the caller's {@code X-Request-Id} when it is a safe
 * token (a load balancer's, say), a fresh one otherwise. The answer carries it back in {@code X-Request-Id}.
 */
public final class RequestIdFilter extends HttpFilter {
    public static final String HEADER = "X-Request-Id";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        try (LogContext.Scope scope = LogContext.request(req.getHeader(HEADER))) {
            res.setHeader(HEADER, LogContext.requestId());
            chain.doFilter(req, res);
        }
    }
}
