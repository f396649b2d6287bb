package io.firebreak.bot.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Answers every error a servlet sends with {@code sendError} (a 405 for a method a route does not serve, among
 * others) as the API's JSON error rather than Jetty's HTML page.
 */
public final class JsonErrors extends HttpFilter {
    private final transient JsonResponses json;

    public JsonErrors(JsonResponses json) {
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(req, new HttpServletResponseWrapper(res) {
            @Override
            public void sendError(int status) throws IOException {
                sendError(status, null);
            }

            @Override
            public void sendError(int status, String message) throws IOException {
                if (isCommitted()) {
                    super.sendError(status, message);
                    return;
                }
                resetBuffer();
                json.error(
                        (HttpServletResponse) getResponse(),
                        status,
                        status == 405
                                ? req.getMethod() + " is not allowed on " + req.getRequestURI()
                                : message == null || message.isBlank() ? "HTTP " + status : message);
            }
        });
    }
}
