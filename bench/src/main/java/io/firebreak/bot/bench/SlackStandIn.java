package io.firebreak.bot.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.firebreak.bot.testing.SlackApiStub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack's Web API and {@code response_url} for the load benchmark: {@link SlackApiStub}'s answers from the JDK's small
 * HTTP server, after a set latency. WireMock's matching and request journal cost more CPU than the bot's own calls, and
 * would be counted against the bot on a 2-core machine. With faults on, every {@code failEvery}th Web API call is
 * refused as Slack refuses them: {@code 429} with {@code Retry-After: 1}, or {@code 503}, in turn.
 */
final class SlackStandIn implements AutoCloseable {
    static {
        // Without it the JDK server's small answers wait for the client's delayed ACK: 40 ms a call, not Slack-like.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final Duration latency;
    private final int failEvery;
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slack-stand-in");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param latency   how long each answer takes, as Slack's does over the network (zero: at once)
     * @param failEvery refuse every this many Web API calls (0: none)
     */
    SlackStandIn(Duration latency, int failEvery) throws IOException {
        this.latency = latency;
        this.failEvery = failEvery;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(threads);
        server.start();
    }

    /** The base URL to give the bot as {@code SLACK_API_URL}. */
    String apiUrl() {
        return base() + "/api/";
    }

    /** A {@code response_url} for interaction payloads. */
    String responseUrl() {
        return base() + "/response-url/load";
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        if (!latency.isZero()) {
            SlackApiStub.sleep(latency.toMillis());
        }
        String path = exchange.getRequestURI().getPath();
        boolean api = path.startsWith("/api/");
        long call = api ? apiCalls.incrementAndGet() : 0;
        if (api && failEvery > 0 && call % failEvery == 0) {
            refuse(exchange, refused.incrementAndGet() % 2 == 1);
            return;
        }
        byte[] body = (api
                        ? SlackApiStub.ANSWERS.getOrDefault(path.substring("/api/".length()), "{\"ok\": true}")
                        : "ok")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", api ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void refuse(HttpExchange exchange, boolean rateLimited) throws IOException {
        byte[] body = (rateLimited ? "{\"ok\": false, \"error\": \"ratelimited\"}" : "upstream connect error")
                .getBytes(StandardCharsets.UTF_8);
        if (rateLimited) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        exchange.getResponseHeaders().add("Content-Type", rateLimited ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(rateLimited ? 429 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** What the bot asked of the Web API, and how many of those calls were refused. */
    String calls() {
        return String.format(
                java.util.Locale.ROOT, "%,d Web API calls, %,d refused (429 or 503)", apiCalls.get(), refused.get());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
