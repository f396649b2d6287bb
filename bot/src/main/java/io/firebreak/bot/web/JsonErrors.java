package io.firebreak.bot.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;

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
        try {
            chain.doFilter(req, errorsAsJson(req, res));
        } catch (IOException | RuntimeException e) {
            // A request Jetty refused while it was being read (a body arriving too slowly): its status, as JSON.
            Optional<HttpException> refused = httpException(e);
            if (refused.isEmpty() || res.isCommitted()) {
                throw e;
            }
            res.resetBuffer();
            res.setHeader("Connection", "close");
            json.error(res, refused.get().getCode(), refused.get().getReason());
        }
    }

    private static Optional<HttpException> httpException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return Optional.of(http);
            }
        }
        return Optional.empty();
    }

    private HttpServletResponse errorsAsJson(HttpServletRequest req, HttpServletResponse res) {
        return new HttpServletResponseWrapper(res) {
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
        };
    }
}
