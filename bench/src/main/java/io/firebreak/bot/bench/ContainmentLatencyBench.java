package io.firebreak.bot.bench;

import static io.firebreak.bot.bench.Latencies.ms;
import static io.firebreak.bot.testing.Interactions.text;

import com.sun.net.httpserver.HttpServer;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.TestBot;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark, not a test: the time from a responder's click (a signed {@code view_submission} of the Contain modal,
 * as Slack sends it) to the agent control API receiving the call, over 200 fires after 20 warm-up fires, on a
 * real bot (Jetty, embedded PostgreSQL, db-scheduler) against a tiny local stand-in for the agent control API.
 *
 * <p>Run with {@code bench/containment-latency}; the figures are printed and written to {@code bench/results/}.
 * {@code bench/run} calls {@link #measure} too.
 */
public final class ContainmentLatencyBench {
    private static final int WARM_UP = 20;
    private static final int FIRES = 200;

    private ContainmentLatencyBench() {}

    /** What {@link #measure} found. */
    public record Result(Latencies clickToCall, Latencies clickToAck, Measured whole) {
        /** The figures, as printed. */
        public String report() {
            Latencies.Summary call = clickToCall.summary();
            Latencies.Summary ack = clickToAck.summary();
            return String.format(
                    Locale.ROOT,
                    """
                    Containment latency, %d fires after %d warm-up (%d cores, Java %s)
                      click -> agent control API receives the call: median %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms
                      click -> Slack ack:                           median %.1f ms, p99 %.1f ms
                      peak heap %d MB while firing (sampled every ms, %d MB in use before)""",
                    call.count(),
                    WARM_UP,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    ms(call.p50()),
                    ms(call.p99()),
                    ms(call.min()),
                    ms(call.max()),
                    ms(ack.p50()),
                    ms(ack.p99()),
                    whole.peakHeapBytes() >> 20,
                    whole.heapBeforeBytes() >> 20);
        }
    }

    /** {@code args[0]}: the repository root (for the shipped catalog and {@code bench/results}). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        String report = measure(root).report();
        System.out.println(report);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve("containment-latency-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()) + ".txt");
        Files.writeString(file, report + "\n");
        System.out.println("written to " + file);
    }

    /** Starts a bot with the shipped catalog ({@code root}) against a local agent control API and fires 220 times. */
    public static Result measure(Path root) throws Exception {
        SynchronousQueue<Long> received = new SynchronousQueue<>();
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/", exchange -> {
            long at = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            try {
                received.offer(at, 10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        agent.start();
        try (TestBot bot = TestBot.start(Map.of(
                "FIREBREAK_ACTIONS",
                root.resolve("manifests/containment-actions.yml").toString(),
                "AGENT_CONTROL_URL",
                "http://127.0.0.1:" + agent.getAddress().getPort(),
                "AGENT_CONTROL_TOKEN",
                "bench-token-0123456789"))) {
            bot.command("open critical Benchmark: refund agent sends wrong refunds");
            Latencies clickToCall = new Latencies();
            Latencies clickToAck = new Latencies();
            Measured whole = Measured.measure(() -> {
                for (int i = 0; i < WARM_UP + FIRES; i++) {
                    String submission = Interactions.viewSubmission(
                            "containment_fire",
                            "V0BENCH" + i,
                            "{\"incident\":\"INC-1\",\"action\":\"pause-workflow\"}",
                            TestBot.USER,
                            Map.of("param_workflow", text("workflow-" + i), "reason", text("benchmark fire " + i)));
                    long clicked = System.nanoTime();
                    HttpResponse<String> ack = bot.postSigned(submission, "application/x-www-form-urlencoded");
                    long acked = System.nanoTime();
                    Long called = received.poll(30, TimeUnit.SECONDS);
                    if (ack.statusCode() != 200 || called == null) {
                        throw new IllegalStateException("fire " + i + " failed: HTTP " + ack.statusCode()
                                + ", call received: " + (called != null));
                    }
                    if (i >= WARM_UP) {
                        clickToCall.add(called - clicked);
                        clickToAck.add(acked - clicked);
                    }
                }
            });
            return new Result(clickToCall, clickToAck, whole);
        } finally {
            agent.stop(0);
        }
    }
}
