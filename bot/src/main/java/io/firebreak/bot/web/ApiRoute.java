package io.firebreak.bot.web;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** More of the read API, served by a feature behind {@link ApiServlet}'s bearer token. */
@FunctionalInterface
public interface ApiRoute {
    /**
     * Answers {@code GET /api<path>} when the path is this route's and returns true; returns false, writing
     * nothing, when it is not.
     */
    boolean serve(String path, HttpServletResponse response) throws IOException;
}
