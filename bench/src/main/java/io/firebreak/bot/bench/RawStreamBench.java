package io.firebreak.bot.bench;

import io.firebreak.bot.testing.TestBot;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Peak heap while the read API serves four 20 MB raw evidence parts at once over HTTP: the real bot (embedded
 * PostgreSQL, real Jetty) in this JVM, four readers hashing what they receive. Baseline, in the same run: the heap
 * one whole-body read of the same part takes (what serving it cost before it was streamed). Run in a JVM of its own
 * with a small heap ({@code bench/raw-stream}, {@code HEAP}, default 64m).
 */
public final class RawStreamBench {
    static final int PARTS = 4;
    static final int BODY_BYTES = 20_000_000;

    private RawStreamBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        String result = run();
        System.out.print(result);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Files.writeString(
                results.resolve("raw-stream-" + Instant.now().toString().replace(':', '-') + ".txt"), result);
        System.exit(0);
    }

    static String run() throws Exception {
        try (TestBot bot = TestBot.start(Map.of())) {
            bot.command("open high Four large traces read at once");
            // The four parts are written straight into the database (a fetch of each would measure the fetch);
            // trace-like JSON text, which PostgreSQL compresses as it would a real trace.
            bot.db().useHandle(h -> {
                h.execute("create temp table big as select convert_to(string_agg('{\"span\": ' || i || ', \"hash\": \"'"
                        + " || md5(i::text) || '\"},', ''), 'UTF8') as body from generate_series(1, "
                        + (BODY_BYTES / 57) + ") i");
                for (int i = 1; i <= PARTS; i++) {
                    long attachment = h.createQuery(
                                    "insert into run_attachment (incident_id, run_id, source,"
                                            + " attached_by, attached_at) values (1, ?, 'LANGFUSE', 'U0BENCH', now()) returning id")
                            .bind(0, "run-large-" + i)
                            .mapTo(Long.class)
                            .one();
                    long fetch = h.createQuery("insert into evidence_fetch (attachment_id, source, requested_by,"
                                    + " requested_at, state, attempts, finished_at) values (?, 'LANGFUSE', 'U0BENCH',"
                                    + " now(), 'SUCCEEDED', 1, now()) returning id")
                            .bind(0, attachment)
                            .mapTo(Long.class)
                            .one();
                    long snapshot = h.createQuery("insert into evidence_snapshot (attachment_id, fetch_id, seq, source,"
                                    + " fetched_at, sha256, bytes, truncated, parse_status, normalized) select ?, ?, 1,"
                                    + " 'LANGFUSE', now(), encode(sha256(body), 'hex'), length(body), false, 'UNPARSABLE',"
                                    + " '{}'::json from big returning id")
                            .bind(0, attachment)
                            .bind(1, fetch)
                            .mapTo(Long.class)
                            .one();
                    h.createUpdate(
                                    "insert into evidence_raw (snapshot_id, part, method, url, status, content_type,"
                                            + " body, bytes, sha256, truncated) select ?, 1, 'GET', 'http://bench.invalid/', 200,"
                                            + " 'application/json', body, length(body), encode(sha256(body), 'hex'), false from big")
                            .bind(0, snapshot)
                            .execute();
                }
            });
            String expected = bot.string("select sha256 from evidence_raw limit 1");

            long idle = settledHeap();
            resetPeaks();
            long t0 = System.nanoTime();
            LiveHeap live = LiveHeap.begin();
            List<String> hashes = serveAtOnce(bot);
            long streamLive = live.end();
            long streamMs = (System.nanoTime() - t0) / 1_000_000;
            long streamPeak = peakHeap();

            idle = Math.min(idle, settledHeap());
            resetPeaks();
            long wholePeak;
            int wholeLength;
            String wholeNote = "";
            try {
                byte[] whole = bot.db()
                        .withHandle(h -> h.select("select body from evidence_raw limit 1")
                                .mapTo(byte[].class)
                                .one());
                wholePeak = peakHeap();
                wholeLength = whole.length;
            } catch (OutOfMemoryError | RuntimeException e) {
                // The driver reports running out of heap as its own exception, with the OutOfMemoryError as cause.
                wholePeak = peakHeap();
                wholeLength = (int) bot.count("select bytes from evidence_raw limit 1");
                wholeNote = " -- it did not fit in this heap: " + e.getClass().getSimpleName() + " (" + e.getMessage()
                        + ")";
            }

            StringBuilder out = new StringBuilder();
            out.append("raw evidence served over HTTP: ")
                    .append(PARTS)
                    .append(" parts of ")
                    .append(wholeLength / 1_000_000)
                    .append(" MB at once, heap ")
                    .append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                    .append(" MB max\n");
            out.append(String.format(
                    "  streamed (1 MB slices):   %d ms, peak heap %d MB (%d MB above the idle bot's %d MB)%n",
                    streamMs, mb(streamPeak), mb(streamPeak - idle), mb(idle)));
            out.append(String.format(
                    "  streamed: most heap still in use right after a collection %d MB (%d MB above idle)%n",
                    mb(streamLive), mb(streamLive - idle)));
            out.append(String.format(
                    "  baseline, one whole body read as before, for ONE part: %s%n",
                    wholeNote.isEmpty()
                            ? String.format("peak heap %d MB (%d MB above idle)", mb(wholePeak), mb(wholePeak - idle))
                            : wholeNote.substring(" -- ".length())));
            out.append("  every part's bytes hashed to the stored SHA-256: ")
                    .append(hashes.stream().allMatch(expected::equals))
                    .append('\n');
            out.append("  (the machine is shared and busy; peaks are pool peaks since the last reset, garbage"
                    + " included)\n");
            return out.toString();
        }
    }

    private static List<String> serveAtOnce(TestBot bot) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(PARTS);
        try {
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 1; i <= PARTS; i++) {
                String path = "/api/incidents/INC-1/runs/run-large-" + i + "/snapshots/1/raw/1";
                reads.add(pool.submit(() -> {
                    HttpResponse<InputStream> response = client.send(
                            HttpRequest.newBuilder(bot.uri(path))
                                    .header("Authorization", "Bearer " + TestBot.API_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = response.body()) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            sha.update(buffer, 0, n);
                            Thread.sleep(0, 1); // a reader slower than the server, as over a network
                        }
                    }
                    return HexFormat.of().formatHex(sha.digest());
                }));
            }
            List<String> hashes = new ArrayList<>();
            for (Future<String> read : reads) {
                hashes.add(read.get());
            }
            return hashes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The most heap found in use just after a collection (live data, not garbage), sampled every 5 ms. */
    private static final class LiveHeap extends Thread {
        private volatile boolean running = true;
        private long max;

        static LiveHeap begin() {
            LiveHeap sampler = new LiveHeap();
            sampler.setDaemon(true);
            sampler.start();
            return sampler;
        }

        @Override
        public void run() {
            while (running) {
                long used = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null)
                        .mapToLong(p -> p.getCollectionUsage().getUsed())
                        .sum();
                max = Math.max(max, used);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long end() throws InterruptedException {
            running = false;
            join();
            return max;
        }
    }

    private static long settledHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() throws InterruptedException {
        System.gc();
        Thread.sleep(100);
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
