package io.firebreak.bot.bench;

import static io.firebreak.bot.bench.Latencies.ms;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The load benchmark: the real Firebreak (on an embedded PostgreSQL, the Slack stand-in as Slack's Web API) and the two
 * {@link BaselineBolt}s, bare and durable (storing each request in the same PostgreSQL before its ack), driven in the
 * same run with the same signed Slack requests, kind by kind, on {@code connections} connections in a closed loop
 * (saturation) and at a fixed rate; then the {@link Ledger} check.
 */
final class LoadBench {
    /** Incidents that notes, {@code show} and the note modal go to, as in a busy week. */
    static final int ACTIVE_INCIDENTS = 20;

    static final Duration WARM_UP = Duration.ofSeconds(3);
    // Long enough for the card updates a saturated burst left waiting, so the next phase starts from a quiet bot.
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);

    /**
     * What to run: total measured seconds are shared evenly by every phase (kind × mode × target); {@code slackLatency}
     * is how long the Slack stand-in takes to answer the bot's own calls after the ack, and it refuses every
     * {@code slackFailEvery}th of them (0: none); {@code jobThreads} is the bot's job pool ({@code FIREBREAK_JOB_THREADS});
     * {@code fsync} is the PostgreSQL server's {@code fsync} setting, the same for the bot and the durable baseline.
     */
    record Settings(
            Duration total,
            Set<LoadKind> kinds,
            int rate,
            int connections,
            Duration slackLatency,
            int slackFailEvery,
            int jobThreads,
            boolean fsync) {
        Duration phase() {
            return total.dividedBy(kinds.size() * 2L * Target.values().length);
        }
    }

    enum Mode {
        SATURATION,
        FIXED_RATE
    }

    /** What is driven in each phase. */
    enum Target {
        BARE,
        DURABLE,
        FIREBREAK
    }

    /**
     * One kind in one mode, every target. {@code backlog} is the most jobs waiting or running seen during Firebreak's
     * phase (sampled every 100 ms) and {@code drain} how long its work after the acks took to finish after the phase.
     */
    record Row(
            LoadKind kind,
            Mode mode,
            LoadDriver.Phase firebreak,
            LoadDriver.Phase bare,
            LoadDriver.Phase durable,
            long backlog,
            Duration drain,
            double load,
            Map<Target, CpuTime> cpu,
            CpuTime firebreakWithDrain) {
        /** CPU time per acked request of {@code target} in its phase, in microseconds (this JVM and PostgreSQL). */
        double cpuMicros(Target target) {
            LoadDriver.Phase phase = target == Target.FIREBREAK ? firebreak : target == Target.BARE ? bare : durable;
            return micros(cpu.get(target), phase);
        }

        /** As {@link #cpuMicros}, for Firebreak including the work after the acks until it drained. */
        double firebreakCpuMicrosWithDrain() {
            return micros(firebreakWithDrain, firebreak);
        }

        private static double micros(CpuTime cpu, LoadDriver.Phase phase) {
            return phase.accepted() == 0 ? Double.NaN : (cpu.jvmNanos() + cpu.postgresNanos()) / 1e3 / phase.accepted();
        }
    }

    /** What the run measured; {@code durableStored} is how many requests the durable baseline stored. */
    record Outcome(List<Row> rows, Ledger.Check integrity, Measured heap, String slackCalls, long durableStored) {}

    private final Settings settings;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong resolveCursor = new AtomicLong();
    private final Ledger ledger = new Ledger();
    private final List<Long> active = new ArrayList<>();

    private LoadBench(Settings settings) {
        this.settings = settings;
    }

    static Outcome run(Settings settings) throws Exception {
        return new LoadBench(settings).run();
    }

    private Outcome run() throws Exception {
        Path data = Files.createTempDirectory("firebreak-bench-pg");
        // The server the bot runs for users without DATABASE_URL, with fsync as set: every commit is acknowledged by
        // the server before the bot (or the durable baseline) acks; with fsync on, it is also on disk.
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", settings.fsync() ? "on" : "off")
                .setServerConfig("synchronous_commit", "on")
                .start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("create database firebreak_bench");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/firebreak_bench?user=postgres";
            try (SlackStandIn slack = new SlackStandIn(settings.slackLatency(), settings.slackFailEvery());
                    TestBot bot = TestBot.start(Map.of(
                            "DATABASE_URL",
                            url,
                            "SLACK_API_URL",
                            slack.apiUrl(),
                            "FIREBREAK_INCIDENT_CHANNELS",
                            "true",
                            "FIREBREAK_JOB_THREADS",
                            String.valueOf(settings.jobThreads())));
                    HikariDataSource store = baselinePool(url);
                    BaselineBolt bare = BaselineBolt.start(TestBot.SIGNING_SECRET, "/incident", Optional.empty());
                    BaselineBolt durable =
                            BaselineBolt.start(TestBot.SIGNING_SECRET, "/incident", Optional.of(store))) {
                return measure(bot, Map.of(Target.BARE, bare, Target.DURABLE, durable), slack, store, data);
            }
        } finally {
            deleteRecursively(data);
        }
    }

    /** The durable baseline's pool: as many connections as the bot's own. */
    private static HikariDataSource baselinePool(String url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("durable-baseline");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(16);
        return new HikariDataSource(config);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Outcome measure(
            TestBot bot, Map<Target, BaselineBolt> baselines, SlackStandIn slack, DataSource store, Path data)
            throws Exception {
        String responseUrl = slack.responseUrl();
        for (int i = 1; i <= ACTIVE_INCIDENTS; i++) {
            HttpResponse<String> opened =
                    bot.command("open high Active incident " + i + ": answers quoted a retired policy");
            active.add(Long.parseLong(opened.body().replaceAll("(?s).*Opened \\*INC-(\\d+)\\*.*", "$1")));
        }
        Map<Target, LoadDriver> drivers = new EnumMap<>(Target.class);
        drivers.put(Target.FIREBREAK, new LoadDriver(bot.uri("/slack/events"), TestBot.SIGNING_SECRET));
        baselines.forEach((target, baseline) -> drivers.put(
                target,
                new LoadDriver(
                        URI.create("http://127.0.0.1:" + baseline.port() + "/slack/events"), TestBot.SIGNING_SECRET)));
        Map<LoadKind, String> templates = new EnumMap<>(LoadKind.class);
        settings.kinds().forEach(k -> templates.put(k, k.template(responseUrl)));

        List<Row> rows = new ArrayList<>();
        Measured heap = Measured.measure(() -> {
            for (LoadKind kind : settings.kinds()) {
                for (Target target : Target.values()) {
                    drivers.get(target)
                            .closedLoop(
                                    workload(kind, templates.get(kind), target == Target.FIREBREAK),
                                    settings.connections(),
                                    WARM_UP);
                }
                drain(bot);
            }
            for (LoadKind kind : settings.kinds()) {
                for (Mode mode : Mode.values()) {
                    Map<Target, LoadDriver.Phase> phases = new EnumMap<>(Target.class);
                    Map<Target, CpuTime> cpu = new EnumMap<>(Target.class);
                    long backlog = 0;
                    CpuTime start = null;
                    for (Target target : Target.values()) {
                        boolean ours = target == Target.FIREBREAK;
                        start = CpuTime.now(data);
                        try (Backlog sampler = ours ? Backlog.sample(bot) : null) {
                            phases.put(
                                    target,
                                    phase(drivers.get(target), mode, workload(kind, templates.get(kind), ours)));
                            backlog = ours ? sampler.peak() : backlog;
                        }
                        cpu.put(target, CpuTime.now(data).since(start));
                    }
                    Duration drain = drain(bot);
                    CpuTime withDrain = CpuTime.now(data).since(start);
                    rows.add(new Row(
                            kind,
                            mode,
                            phases.get(Target.FIREBREAK),
                            phases.get(Target.BARE),
                            phases.get(Target.DURABLE),
                            backlog,
                            drain,
                            loadAverages()[0],
                            cpu,
                            withDrain));
                    System.out.println(line(rows.get(rows.size() - 1)));
                }
            }
        });
        return new Outcome(
                rows,
                ledger.check(bot.db(), bot.firebreak().incidents()),
                heap,
                slack.calls(),
                BaselineBolt.storedCount(store));
    }

    private LoadDriver.Phase phase(LoadDriver driver, Mode mode, LoadDriver.Workload workload)
            throws InterruptedException {
        return mode == Mode.SATURATION
                ? driver.closedLoop(workload, settings.connections(), settings.phase())
                : driver.fixedRate(workload, settings.rate(), settings.phase());
    }

    /** Requests of {@code kind}; Firebreak's acks are checked and recorded, the baseline's need only be 200. */
    private LoadDriver.Workload workload(LoadKind kind, String template, boolean firebreak) {
        return new LoadDriver.Workload() {
            @Override
            public LoadDriver.Request next() {
                long seq = sequence.incrementAndGet();
                long incident = !firebreak
                        ? 1
                        : kind == LoadKind.RESOLVE
                                ? ledger.openedIncident(
                                        resolveCursor.getAndIncrement(), active.get((int) (seq % active.size())))
                                : active.get((int) (seq % active.size()));
                return new LoadDriver.Request(LoadKind.fill(template, seq, incident), seq, incident);
            }

            @Override
            public boolean accepted(LoadDriver.Request request, HttpResponse<String> response) {
                return response.statusCode() == 200 && (!firebreak || ledger.acked(kind, request, response.body()));
            }
        };
    }

    /** Waits until every durable job the load enqueued has run, so the next phase starts from a quiet bot. */
    private static Duration drain(TestBot bot) {
        long start = System.nanoTime();
        long deadline = start + DRAIN_LIMIT.toNanos();
        while (bot.count("select count(*) from scheduled_tasks") > 0 && System.nanoTime() < deadline) {
            SlackApiStub.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The machine's 1, 5 and 15 minute load averages, from /proc/loadavg (-1 where there is none). */
    static double[] loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {
                Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
            };
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1, -1};
        }
    }

    /** One phase as printed while the benchmark runs. */
    static String line(Row row) {
        return String.format(
                Locale.ROOT,
                "%-16s %-10s Firebreak %7.1f req/s p99 %6.1f ms, %d errors | durable %7.1f req/s p99 %6.1f ms"
                        + " | bare %7.1f req/s p99 %6.1f ms | backlog %d, drain %.1f s, load %.2f",
                row.kind().label,
                row.mode() == Mode.SATURATION ? "saturated" : "fixed",
                row.firebreak().throughput(),
                ms(row.firebreak().latencies().summary().p99()),
                row.firebreak().errors(),
                row.durable().throughput(),
                ms(row.durable().latencies().summary().p99()),
                row.bare().throughput(),
                ms(row.bare().latencies().summary().p99()),
                row.backlog(),
                row.drain().toMillis() / 1000.0,
                row.load());
    }

    /** The most jobs waiting or running while it is open, counted every 100 ms on a thread of its own. */
    private static final class Backlog implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Backlog(TestBot bot) {
            thread = new Thread(
                    () -> {
                        while (running.get()) {
                            peak.accumulateAndGet(bot.count("select count(*) from scheduled_tasks"), Math::max);
                            SlackApiStub.sleep(100);
                        }
                    },
                    "backlog-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        static Backlog sample(TestBot bot) {
            return new Backlog(bot);
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
