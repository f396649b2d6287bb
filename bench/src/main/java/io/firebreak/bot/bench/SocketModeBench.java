package io.firebreak.bot.bench;

import static io.firebreak.bot.bench.Latencies.ms;

import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.SocketModeStandIn;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.java_websocket.WebSocket;

/**
 * Benchmark, not a test: how long Slack waits for its acknowledgement over Socket Mode and over HTTP, for the same
 * requests to the same bot in the same run. One bot in Socket Mode (connected to a local stand-in of Slack's Socket
 * Mode server) also serves {@code /slack/events}; requests alternate between the two ways, one at a time, so both see
 * the same machine. Each kind is sent {@value #WARM_UP} times to warm up, then {@value #REQUESTS} times per way.
 *
 * <p>Socket Mode: from the envelope leaving the stand-in to its acknowledgement arriving back. HTTP: from the signed
 * request leaving the client to the answer arriving. Run with {@code bench/socket-mode}; printed and written to
 * {@code bench/results/}.
 */
public final class SocketModeBench {
    static final int WARM_UP = 100;
    static final int REQUESTS = Integer.getInteger("bench.requests", 1000);
    private static final String FORM = "application/x-www-form-urlencoded";

    private SocketModeBench() {}

    /** {@code args[0]}: the repository root (for {@code bench/results}). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        String report = measure();
        System.out.println(report);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve("socket-mode-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()) + ".txt");
        Files.writeString(file, report + "\n");
        System.out.println("written to " + file);
    }

    /** A request sent both ways: as a Socket Mode envelope, and as the HTTP body. */
    private record Kind(
            String name,
            java.util.function.IntFunction<String> envelope,
            java.util.function.IntFunction<String> http) {}

    static String measure() throws Exception {
        try (SocketModeStandIn slack = new SocketModeStandIn();
                TestBot bot = TestBot.startSocketMode(slack, Map.of("FIREBREAK_SOCKET_CONNECTIONS", "1"))) {
            WebSocket socket = slack.awaitConnections(1).get(0);
            bot.command("open high Benchmark: refund agent sends wrong refunds");
            String url = bot.slack().responseUrl("bench");
            List<Kind> kinds = List.of(
                    new Kind(
                            "/incident note",
                            i -> SocketModeStandIn.slashCommand("env-note-" + i, note(i)),
                            SocketModeBench::note),
                    new Kind(
                            "/incident show",
                            i -> SocketModeStandIn.slashCommand(
                                    "env-show-" + i,
                                    Fixtures.slashCommand("/incident", "show INC-1", TestBot.USER, TestBot.CHANNEL)),
                            i -> Fixtures.slashCommand("/incident", "show INC-1", TestBot.USER, TestBot.CHANNEL)),
                    new Kind(
                            "Add note modal",
                            i -> SocketModeStandIn.interactive("env-modal-" + i, modal(i)),
                            SocketModeBench::modal),
                    new Kind(
                            "Assess button (opens a modal)",
                            i -> SocketModeStandIn.interactive(
                                    "env-button-" + i,
                                    SlackPayloads.button("incident_assess", "INC-1", TestBot.USER, url)),
                            i -> SlackPayloads.button("incident_assess", "INC-1", TestBot.USER, url)));
            StringBuilder report = new StringBuilder(String.format(
                    Locale.ROOT,
                    "Slack ack latency, Socket Mode vs HTTP: one bot, same run, alternating, %d requests per kind and way"
                            + " after %d warm-up (%d cores, Java %s)%n",
                    REQUESTS,
                    WARM_UP,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version")));
            List<Long> allSocket = new ArrayList<>();
            List<Long> allHttp = new ArrayList<>();
            for (Kind kind : kinds) {
                Latencies viaSocket = new Latencies();
                Latencies viaHttp = new Latencies();
                for (int i = 0; i < WARM_UP + REQUESTS; i++) {
                    String id = kind.name().replaceAll("\\W", "") + "-" + i;
                    long socketNanos = slack.roundTrip(
                            socket,
                            envelopeId(kind.envelope().apply(i)),
                            kind.envelope().apply(i));
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = bot.postSigned(kind.http().apply(i), FORM);
                    long httpNanos = System.nanoTime() - sent;
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(id + " over HTTP answered " + answer.statusCode());
                    }
                    if (i >= WARM_UP) {
                        viaSocket.add(socketNanos);
                        viaHttp.add(httpNanos);
                    }
                }
                Latencies.Summary s = viaSocket.summary();
                Latencies.Summary h = viaHttp.summary();
                report.append(String.format(
                        Locale.ROOT,
                        "  %-30s Socket Mode median %.2f ms, p99 %.2f ms | HTTP median %.2f ms, p99 %.2f ms | ratio"
                                + " median %.2f, p99 %.2f%n",
                        kind.name(),
                        ms(s.p50()),
                        ms(s.p99()),
                        ms(h.p50()),
                        ms(h.p99()),
                        (double) s.p50() / h.p50(),
                        (double) s.p99() / h.p99()));
            }
            return report.toString().stripTrailing();
        }
    }

    private static String envelopeId(String envelope) {
        int start = envelope.indexOf("\"envelope_id\":\"") + "\"envelope_id\":\"".length();
        return envelope.substring(start, envelope.indexOf('"', start));
    }

    private static String note(int i) {
        return Fixtures.slashCommand("/incident", "note INC-1 benchmark note " + i, TestBot.USER, TestBot.CHANNEL);
    }

    private static String modal(int i) {
        return SlackPayloads.viewSubmission(
                "incident_note", "INC-1", TestBot.USER, SlackPayloads.textValues("note", "benchmark modal note " + i));
    }
}
