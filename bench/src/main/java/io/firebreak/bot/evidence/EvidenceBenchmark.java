package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.firebreak.bot.bench.Measured;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.config.EvidenceSettings;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.evidence.TraceSource;
import io.firebreak.storage.incident.Incident;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Not a test: measures the time and peak heap to fetch, hash, normalize and store a 10 MB Langfuse trace, end to
 * end through {@link EvidenceService#runFetchJob} (real HTTP, real PostgreSQL), and each stage on its own. Prints
 * its figures and writes them to {@code bench/target/evidence-benchmark.txt}. Run it with
 * {@code mvn -B -pl bot -am -Pbenchmark -DskipTests test} (docs/evidence.md).
 */
public final class EvidenceBenchmark {
    static final int TARGET_BYTES = 10 * 1024 * 1024;
    static final int ROUNDS = 5;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EvidenceBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> lines = run();
        lines.forEach(System.out::println);
        Path out = Path.of("target", "evidence-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        System.exit(0);
    }

    /** Runs the benchmark on a fresh database of the shared embedded PostgreSQL and returns its figures, one per line. */
    public static List<String> run() throws Exception {
        byte[] trace = tenMegabyteTrace();
        HttpServer langfuse = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        langfuse.createContext("/api/public/traces/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, trace.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(trace);
            }
        });
        langfuse.start();
        String host = "http://127.0.0.1:" + langfuse.getAddress().getPort();
        Clock clock = Clock.systemUTC();
        List<String> lines = new ArrayList<>();
        try (Database database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5))) {
            Storage storage = new Storage(database.jdbi(), MAPPER, clock);
            IncidentService incidents =
                    new IncidentService(storage, MAPPER, () -> {}, io.firebreak.bot.incident.Responders.everyone());
            EvidenceSettings settings = new EvidenceSettings(
                    Optional.of(new EvidenceSettings.Langfuse(
                            URI.create(host), new Secret("pk-lf-benchmark"), new Secret("sk-lf-benchmark"))),
                    Optional.empty(),
                    Optional.empty(),
                    EvidenceSettings.DEFAULT_MAX_TRACE_BYTES,
                    6,
                    Duration.ofSeconds(60),
                    EvidenceSettings.DEFAULT_MAX_SNAPSHOTS_PER_RUN,
                    EvidenceSettings.DEFAULT_MAX_SNAPSHOTS_PER_INCIDENT);
            OutboundHttp http = new OutboundHttp(Duration.ofSeconds(5), Duration.ofSeconds(60), clock);
            EvidenceService evidence = new EvidenceService(
                    storage, MAPPER, settings, EvidenceService.clients(settings, http, MAPPER), () -> {}, clock);
            Incident incident = incidents.open(new IncidentService.OpenRequest(
                    "Benchmark: a 10 MB trace", Optional.empty(), "U0BENCH", Optional.empty(), "benchmark"));

            System.gc();
            lines.add(String.format(
                    Locale.ROOT,
                    "trace: %,d bytes, %d observations; JVM max heap %d MB, %d MB in use before "
                            + "(the trace served from memory, the bot's parts); %d rounds after 2 warm-up rounds",
                    trace.length,
                    MAPPER.readTree(trace).path("observations").size(),
                    Runtime.getRuntime().maxMemory() >> 20,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20,
                    ROUNDS));
            for (int round = -2; round < ROUNDS; round++) {
                String runId = "bench-" + (round + 2);
                EvidenceService.AttachOutcome.Accepted accepted =
                        (EvidenceService.AttachOutcome.Accepted) evidence.attach(new EvidenceService.AttachRequest(
                                incident.key(), runId, Optional.of(TraceSource.LANGFUSE), "U0BENCH", Optional.empty()));
                Measured whole = Measured.measure(() -> evidence.runFetchJob(String.valueOf(accepted.fetchId())));
                if (round >= 0) {
                    lines.add(String.format(Locale.ROOT, "round %d: fetch+hash+normalize+store %s", round + 1, whole));
                }
            }
            Exchange[] fetched = new Exchange[1];
            Measured fetch = Measured.measure(() -> fetched[0] = http.send(
                    OutboundRequest.get(URI.create(host + "/api/public/traces/x"), Map.of(), Set.of()),
                    EvidenceSettings.DEFAULT_MAX_TRACE_BYTES));
            Measured hash = Measured.measure(() -> Sha256.hex(fetched[0].body()));
            Measured normalize = Measured.measure(() -> Normalizer.normalize(
                    TraceSource.LANGFUSE,
                    "x",
                    List.of(new Normalizer.Body("trace", fetched[0].body(), false)),
                    List.of(),
                    Optional.empty()));
            lines.add("stages alone: fetch " + fetch + "; SHA-256 " + hash + "; normalize " + normalize);
            String stored = storage.inTransaction(tx -> tx.handle()
                    .select("select count(*) || ' snapshots, ' || pg_size_pretty(sum(bytes)) "
                            + "|| ' raw' from evidence_snapshot")
                    .mapTo(String.class)
                    .one());
            lines.add("stored: " + stored);
        } finally {
            langfuse.stop(0);
        }
        return lines;
    }

    /**
     * Langfuse's OpenAI Agents example trace, its GENERATION and TOOL observations repeated (with new IDs, under
     * the same agent) until the body reaches 10 MB: the shape of a long agent session.
     */
    static byte[] tenMegabyteTrace() throws Exception {
        ObjectNode trace = (ObjectNode) MAPPER.readTree(TraceBackends.bytes(LangfuseEvidenceTest.OPENAI_AGENTS));
        ArrayNode observations = (ArrayNode) trace.get("observations");
        List<JsonNode> repeatable = new ArrayList<>();
        observations.forEach(o -> {
            if (!"AGENT".equals(o.path("type").asText())) {
                repeatable.add(o);
            }
        });
        int base = MAPPER.writeValueAsBytes(trace).length;
        int per = repeatable.stream().mapToInt(o -> o.toString().length() + 1).sum();
        int copies = (TARGET_BYTES - base) / per;
        for (int i = 0; i < copies; i++) {
            for (JsonNode o : repeatable) {
                ObjectNode copy = o.deepCopy();
                copy.put("id", o.path("id").asText() + "-" + i);
                observations.add(copy);
            }
        }
        return MAPPER.writeValueAsBytes(trace);
    }
}
