package io.firebreak.bot.web;

import io.firebreak.bot.platform.jobs.Foreground;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Counts the requests on its path while they are answered, so that jobs that can wait give way to them. */
public final class ForegroundFilter extends HttpFilter {
    private final transient Foreground foreground;

    public ForegroundFilter(Foreground foreground) {
        this.foreground = foreground;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        try (Foreground.Scope scope = foreground.enter()) {
            chain.doFilter(req, res);
        }
    }
}
