package io.firebreak.bot.web;

import io.firebreak.bot.platform.config.HardeningSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty on one port, serving the servlets given (Slack's {@code /slack/events} among them). Request bodies over the
 * limit are refused with 413 before any handler reads them; on stop, requests in flight finish first.
 */
public final class HttpServer implements AutoCloseable {
    /** Largest request body accepted; Slack's biggest payloads (view submissions) are far below this. */
    public static final long MAX_REQUEST_BYTES = 1024 * 1024;
    /** Longest a connection may send or read nothing: Slack and the report forms send whole requests at once. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;
    private final ServerConnector connector;

    /** A filter and the paths it applies to (a servlet path spec such as {@code /*} or {@code /slack/events}). */
    public record PathFilter(String pathSpec, Filter filter) {}

    /** As below, with the default minimum request data rate. */
    public HttpServer(
            int port,
            Map<String, HttpServlet> servlets,
            List<PathFilter> filters,
            JsonResponses json,
            Duration stopTimeout) {
        this(port, servlets, filters, json, stopTimeout, HardeningSettings.DEFAULT_MIN_REQUEST_RATE);
    }

    /**
     * {@code filters} run in order before any servlet; {@code servlets} map servlet path specs to what serves them; a
     * request body arriving slower than {@code minRequestBytesPerSecond} is cut off with 408.
     */
    public HttpServer(
            int port,
            Map<String, HttpServlet> servlets,
            List<PathFilter> filters,
            JsonResponses json,
            Duration stopTimeout,
            long minRequestBytesPerSecond) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // Nobody needs to learn the server and its version from the answers.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        // A client that stops sending (a byte every 20 s) loses its connection instead of holding a worker for minutes.
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        filters.forEach(
                f -> context.addFilter(new FilterHolder(f.filter()), f.pathSpec(), EnumSet.of(DispatcherType.REQUEST)));
        servlets.forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        context.addServlet(new ServletHolder("not-found", new NotFound(json)), "/");

        SizeLimitHandler sizeLimit = new SizeLimitHandler(MAX_REQUEST_BYTES, -1);
        // The idle timeout ends a client that stops; this ends one that trickles (a byte every few seconds).
        sizeLimit.setHandler(new MinimumRequestRate(minRequestBytesPerSecond, context));
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(sizeLimit);
        server.setHandler(graceful);
        server.setStopTimeout(stopTimeout.toMillis());
        server.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port Jetty listens on (the real one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting requests, lets those in flight finish (up to the stop timeout), then stops. */
    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Answers JSON 404 for every path nothing else serves. */
    private static final class NotFound extends HttpServlet {
        private final transient JsonResponses json;

        NotFound(JsonResponses json) {
            this.json = json;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            json.error(resp, 404, "no such endpoint: " + req.getMethod() + " " + req.getRequestURI());
        }
    }
}
