package io.firebreak.bot.bench;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.storage.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code bench/first-burst}: two replicas, each a JVM of its own ({@code bot/target/firebreak.jar}), on one embedded
 * PostgreSQL that commits durably; as soon as both answer {@code /healthz} 200, 40 concurrent signed {@code /incident
 * open} split over both; then, after a pause, the same burst again, twice. Prints the slowest answer of the first burst
 * against the later ones and their ratio (the goal: first under 1 s and within 2x of the later ones), and every answer
 * that was not an opened incident.
 */
public final class FirstBurstBench {
    private static final int BURST = 40;
    private static final Duration PAUSE = Duration.ofSeconds(20);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SlackSigner signer = new SlackSigner(new Secret(TestBot.SIGNING_SECRET));
    private final List<String> out = new ArrayList<>();
    private int sequence;

    /** One burst: how long each answer took, and the answers that did not say "Opened". */
    record Burst(List<Duration> took, List<String> notOpened) {
        Duration slowest() {
            return took.stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        }

        Duration median() {
            List<Duration> sorted = took.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
        FirstBurstBench bench = new FirstBurstBench();
        bench.run(root);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve("first-burst-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()) + ".txt");
        Files.write(file, bench.out);
        System.out.println("written to " + root.relativize(file));
        System.exit(0);
    }

    private void run(Path root) throws Exception {
        Path jar = root.resolve("bot/target/firebreak.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl bot -am -DskipTests package");
        }
        Path data = Files.createTempDirectory("firebreak-first-burst");
        try (EmbeddedPostgres postgres = Database.startEmbeddedServer(data.resolve("pg"));
                SlackStandIn slack = new SlackStandIn(Duration.ZERO, 0)) {
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("create database firebreak_burst");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/firebreak_burst?user=postgres";
            List<Replica> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    replicas.add(Replica.start(jar, url, slack.apiUrl(), data.resolve("replica-" + i), i));
                }
                long started = System.nanoTime();
                for (Replica r : replicas) {
                    r.awaitReady(Duration.ofMinutes(3));
                }
                say(
                        "both replicas ready %d ms after launch (load average %.1f)",
                        ms(System.nanoTime() - started), load());
                Burst first = burst(replicas);
                List<Burst> later = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Thread.sleep(PAUSE.toMillis());
                    later.add(burst(replicas));
                }
                report(first, later);
            } finally {
                replicas.forEach(Replica::stop);
            }
        }
    }

    private Burst burst(List<Replica> replicas) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(BURST);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<String[]>> sent = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                Replica target = replicas.get(i % replicas.size());
                String text = "open high Refund agent answers quoted a retired policy, report " + (++sequence);
                // Forty people, as in an outage: one person's forty opens would meet the per-user limit instead.
                String user = String.format("U0BURST%03d", i);
                sent.add(CompletableFuture.supplyAsync(
                        () -> {
                            await(go);
                            return send(target, user, text);
                        },
                        threads));
            }
            go.countDown();
            List<Duration> took = new ArrayList<>();
            List<String> notOpened = new ArrayList<>();
            for (CompletableFuture<String[]> f : sent) {
                String[] answer = f.get();
                took.add(Duration.ofNanos(Long.parseLong(answer[0])));
                if (!answer[1].contains("Opened *INC-")) {
                    notOpened.add(answer[1]);
                }
            }
            Burst burst = new Burst(took, notOpened);
            say(
                    "burst of %d: slowest %d ms, median %d ms, %d not opened (load average %.1f)",
                    BURST, burst.slowest().toMillis(), burst.median().toMillis(), notOpened.size(), load());
            return burst;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Sends one signed slash command; returns the nanoseconds it took and the answer. */
    private String[] send(Replica target, String user, String text) {
        String body = Fixtures.slashCommand("/incident", text, user, TestBot.CHANNEL);
        long now = System.currentTimeMillis() / 1000;
        HttpRequest request = TestBot.slackRequest(
                        URI.create("http://127.0.0.1:" + target.port + "/slack/events"),
                        body,
                        "application/x-www-form-urlencoded",
                        now,
                        signer.sign(now, body))
                .timeout(Duration.ofSeconds(30))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new String[] {String.valueOf(System.nanoTime() - start), answer.statusCode() + " " + answer.body()};
        } catch (IOException e) {
            return new String[] {String.valueOf(System.nanoTime() - start), "failed: " + e};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new String[] {String.valueOf(System.nanoTime() - start), "interrupted"};
        }
    }

    private void report(Burst first, List<Burst> later) {
        Duration laterSlowest = later.stream()
                .map(Burst::slowest)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        double ratio = (double) first.slowest().toNanos() / Math.max(1, laterSlowest.toNanos());
        say("");
        say("slowest answer, first burst after ready: %d ms", first.slowest().toMillis());
        say("slowest answer, later bursts:            %d ms", laterSlowest.toMillis());
        say(
                "first / later: %.2fx (goal: first under 1000 ms and within 2x): %s",
                ratio, first.slowest().toMillis() < 1000 && ratio <= 2.0 ? "met" : "missed");
        List<String> notOpened = new ArrayList<>(first.notOpened());
        later.forEach(b -> notOpened.addAll(b.notOpened()));
        notOpened.stream().distinct().limit(5).forEach(a -> say("  not opened: %s", a));
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        out.add(line);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bot replica in a JVM of its own, as a deployment runs it. */
    private static final class Replica {
        private final Process process;
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();

        private Replica(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Replica start(Path jar, String databaseUrl, String slackApi, Path dataDir, int index)
                throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx512m",
                            "-jar",
                            jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("replica-" + index + ".log").toFile());
            Map<String, String> env = builder.environment();
            env.put("PORT", String.valueOf(port));
            env.put("DATABASE_URL", databaseUrl);
            env.put("SLACK_SIGNING_SECRET", TestBot.SIGNING_SECRET);
            env.put("SLACK_BOT_TOKEN", TestBot.BOT_TOKEN);
            env.put("SLACK_API_URL", slackApi);
            env.put("FIREBREAK_RESPONDERS", TestBot.RESPONDERS);
            env.put("FIREBREAK_DATA_DIR", dataDir.toString());
            env.put("FIREBREAK_LOG_FORMAT", "text");
            return new Replica(builder.start(), port);
        }

        void awaitReady(Duration limit) throws InterruptedException {
            long until = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < until) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a replica exited with " + process.exitValue());
                }
                try {
                    HttpResponse<String> health = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("a replica was not ready within " + limit);
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
