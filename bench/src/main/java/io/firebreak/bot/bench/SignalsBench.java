package io.firebreak.bot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.bot.web.HttpServer;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An alert storm on the terms: 10,000 Alertmanager alerts for one workflow over 8 connections, against
 * Firebreak and a durable baseline measured in the same run on the same embedded PostgreSQL (fsync on). The baseline is
 * a bare app on the same Jetty set-up ({@link HttpServer}) that checks the bearer token and stores each request with one
 * INSERT before its 202: what "stored before the answer" costs at least. Two phases each: saturated (8 connections in a
 * closed loop), then paced (the alerts spread over {@code BENCH_SIGNALS_SECONDS}, 60 by default, latency counted from
 * when each was due). Then it checks that every acked alert was stored and that each phase made one incident.
 */
public final class SignalsBench {
    static final String TOKEN = "am-bench-token-0123456789";

    private SignalsBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int alerts = Integer.parseInt(System.getenv().getOrDefault("BENCH_SIGNALS_ALERTS", "10000"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SIGNALS_SECONDS", "60"));
        int connections = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONNECTIONS", "8"));
        String result = run(alerts, seconds, connections);
        System.out.print(result);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Files.writeString(results.resolve("signals-" + Instant.now().toString().replace(':', '-') + ".txt"), result);
        System.exit(result.contains("FAILED") ? 1 : 0);
    }

    /** One phase against one target. */
    record Phase(String target, String mode, int sent, int acked, int errors, double seconds, Latencies latencies) {
        double throughput() {
            return acked / seconds;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-10s %-9s %6d alerts, %5d errors, %7.1f alerts/s, %s",
                    target,
                    mode,
                    acked,
                    errors,
                    throughput(),
                    latencies.summary());
        }
    }

    static String run(int alerts, int seconds, int connections) throws Exception {
        Path data = Files.createTempDirectory("firebreak-bench-signals");
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "signals: %,d Alertmanager alerts (one per request) for one workflow, %d connections; cores %d, load %.2f%n",
                alerts,
                connections,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage()));
        try (EmbeddedPostgres postgres = Database.startEmbeddedServer(data)) {
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("create database firebreak_bench");
                s.execute("create database baseline_bench");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/firebreak_bench?user=postgres";
            String baselineUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/baseline_bench?user=postgres";
            Path sources = Files.createTempFile("signals", ".yml");
            Files.writeString(
                    sources,
                    "sources:\n  alertmanager:\n    kind: alertmanager\n    auth: {bearer: \"${BENCH_AM_TOKEN}\"}\n");
            try (SlackStandIn slack = new SlackStandIn(Duration.ZERO, 0);
                    TestBot bot = TestBot.start(Map.of(
                            "DATABASE_URL",
                            url,
                            "SLACK_API_URL",
                            slack.apiUrl(),
                            "FIREBREAK_SIGNALS",
                            sources.toString(),
                            "BENCH_AM_TOKEN",
                            TOKEN));
                    Baseline baseline = Baseline.start(baselineUrl)) {
                URI firebreak = bot.uri("/signals/alertmanager");
                URI bare = URI.create("http://127.0.0.1:" + baseline.port() + "/signals/alertmanager");
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                // Warm both up (JIT, pools) on a workflow of its own.
                drive(client, firebreak, "warm-up", 1_000_000, 500, connections, 0, "firebreak", "warm-up");
                drive(client, bare, "warm-up", 1_000_000, 500, connections, 0, "baseline", "warm-up");
                List<Phase> phases = new ArrayList<>();
                // CPU time per alert says what each costs even when other work on the machine takes the cores.
                CpuTime start = CpuTime.now(data);
                Phase fbSat = drive(
                        client, firebreak, "storm-saturated", 0, alerts, connections, 0, "firebreak", "saturated");
                CpuTime between = CpuTime.now(data);
                Phase blSat =
                        drive(client, bare, "storm-saturated", 0, alerts, connections, 0, "baseline", "saturated");
                CpuTime fbCpu = between.since(start);
                CpuTime blCpu = CpuTime.now(data).since(between);
                Phase fbPaced = drive(
                        client, firebreak, "storm-paced", alerts, alerts, connections, seconds, "firebreak", "paced");
                Phase blPaced =
                        drive(client, bare, "storm-paced", alerts, alerts, connections, seconds, "baseline", "paced");
                phases.addAll(List.of(fbSat, blSat, fbPaced, blPaced));
                phases.forEach(p -> out.append(p.line()).append('\n'));
                out.append(String.format(
                        Locale.ROOT,
                        "saturated throughput: Firebreak %.0f%% of the durable baseline (target at least 50%%)%n",
                        100 * fbSat.throughput() / blSat.throughput()));
                out.append(String.format(
                        Locale.ROOT,
                        "saturated CPU per alert: Firebreak JVM %.0f µs + PostgreSQL %.0f µs, baseline JVM %.0f µs +"
                                + " PostgreSQL %.0f µs (the JVM's includes the load generator's)%n",
                        fbCpu.jvmNanos() / 1e3 / alerts,
                        fbCpu.postgresNanos() / 1e3 / alerts,
                        blCpu.jvmNanos() / 1e3 / alerts,
                        blCpu.postgresNanos() / 1e3 / alerts));
                out.append(String.format(
                        Locale.ROOT,
                        "paced (%d s): Firebreak p99 %.1f ms (target under 50 ms), baseline p99 %.1f ms%n",
                        seconds,
                        Latencies.ms(fbPaced.latencies().summary().p99()),
                        Latencies.ms(blPaced.latencies().summary().p99())));
                out.append(check(bot, "storm-saturated", fbSat.acked()));
                out.append(check(bot, "storm-paced", fbPaced.acked()));
            }
        } finally {
            try (var paths = Files.walk(data)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        return out.toString();
    }

    /** Every acked alert of {@code workflow} stored, all of them one signal of one incident. */
    private static String check(TestBot bot, String workflow, int acked) {
        long stored = bot.count(
                "select count(*) from signal_alert a join signal s on s.id = a.signal_id where s.workflow = ?",
                workflow);
        long signals = bot.count("select count(*) from signal where workflow = ?", workflow);
        long incidents = bot.count("select count(distinct incident_id) from signal where workflow = ?", workflow);
        boolean ok = stored == acked && signals == 1 && incidents == 1;
        return String.format(
                "%s %s: %d acked, %d stored, %d signal(s), %d incident(s)%n",
                ok ? "ok    " : "FAILED", workflow, acked, stored, signals, incidents);
    }

    /**
     * Sends {@code count} one-alert notifications for {@code workflow} over {@code connections} threads: in a closed loop
     * when {@code seconds} is 0, else each due at its slot of {@code seconds} (latency counted from when it was due).
     */
    static Phase drive(
            HttpClient client,
            URI uri,
            String workflow,
            int from,
            int count,
            int connections,
            int seconds,
            String target,
            String mode)
            throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        double gap = seconds == 0 ? 0 : seconds * 1e9 / count;
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    long due = seconds == 0 ? System.nanoTime() : start + (long) (i * gap);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "Alertmanager/0.27.0")
                            .header("Authorization", "Bearer " + TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofString(notification(workflow, from + i)))
                            .build();
                    try {
                        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 202) {
                            acked.incrementAndGet();
                            latencies.add(System.nanoTime() - due);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Phase(target, mode, count, acked.get(), errors.get(), elapsed, latencies);
    }

    /** Alertmanager's webhook body (version 4, Go's compact form) carrying one firing alert. */
    static String notification(String workflow, int i) {
        return "{\"receiver\":\"firebreak\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":"
                + "{\"alertname\":\"AgentToolErrorRate\",\"workflow\":\"" + workflow + "\",\"pod\":\"agent-" + i
                + "\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"tool errors above 20%\"},"
                + "\"startsAt\":\"2026-11-24T09:15:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=rate\\u0026g0.tab=1\",\"fingerprint\":\""
                + String.format("%016x", (long) i) + "\"}],\"groupLabels\":{\"alertname\":\"AgentToolErrorRate\"},"
                + "\"commonLabels\":{\"alertname\":\"AgentToolErrorRate\"},\"commonAnnotations\":{},"
                + "\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"AgentToolErrorRate\\\"}\","
                + "\"truncatedAlerts\":0}\n";
    }

    /**
     * The durable baseline: Firebreak's own Jetty set-up serving one route that checks the bearer token, reads the body
     * and stores it with one INSERT (autocommit, fsync on) before answering 202. Written here because the shared
     * baseline of {@code bench/run} answers Slack only.
     */
    static final class Baseline implements AutoCloseable {
        private final HttpServer http;
        private final HikariDataSource pool;

        private Baseline(HttpServer http, HikariDataSource pool) {
            this.http = http;
            this.pool = pool;
        }

        static Baseline start(String jdbcUrl) throws Exception {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setMaximumPoolSize(16);
            HikariDataSource pool = new HikariDataSource(config);
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.execute(
                        "create table alert (id bigserial primary key, received_at timestamptz not null default now(),"
                                + " body jsonb not null)");
            }
            HttpServlet store = new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    if (!("Bearer " + TOKEN).equals(req.getHeader("Authorization"))) {
                        resp.setStatus(401);
                        return;
                    }
                    String body =
                            new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    try (Connection c = pool.getConnection();
                            PreparedStatement insert =
                                    c.prepareStatement("insert into alert (body) values (cast(? as jsonb))")) {
                        insert.setString(1, body);
                        insert.executeUpdate();
                    } catch (java.sql.SQLException e) {
                        resp.setStatus(503);
                        return;
                    }
                    resp.setStatus(202);
                    resp.setContentType("application/json");
                    resp.getWriter().write("{\"stored\":true}");
                }
            };
            JsonResponses json = new JsonResponses(new ObjectMapper());
            HttpServer http = new HttpServer(0, Map.of("/signals/*", store), List.of(), json, Duration.ofSeconds(5));
            http.start();
            return new Baseline(http, pool);
        }

        int port() {
            return http.port();
        }

        @Override
        public void close() throws Exception {
            http.close();
            pool.close();
        }
    }
}
