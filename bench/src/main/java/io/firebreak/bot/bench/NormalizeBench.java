package io.firebreak.bot.bench;

import io.firebreak.bot.evidence.DeepTraces;
import io.firebreak.bot.evidence.NormalizedRun;
import io.firebreak.bot.evidence.Normalizer;
import io.firebreak.storage.evidence.TraceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Normalizing a 20,000-span trace: flat (every span a child of the root) against chained (each span the child of
 * the one before), the same spans otherwise. Prints the median CPU times (of the normalizing thread) and the deep/flat ratio, which is linear
 * work when near 1 (the target is at most 1.5). Also 5,000 and 10,000 spans, to show the cost grows linearly.
 */
public final class NormalizeBench {
    static final int RUNS = 9;
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private NormalizeBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        String result = run();
        System.out.print(result);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Files.writeString(
                results.resolve("normalize-" + Instant.now().toString().replace(':', '-') + ".txt"), result);
        System.exit(0);
    }

    static String run() {
        StringBuilder out = new StringBuilder(
                "normalizing OTLP traces, median CPU time of " + RUNS + " runs (shared, busy machine)\n");
        for (int spans : new int[] {5_000, 10_000, 20_000}) {
            byte[] flat = DeepTraces.otlp(spans, false);
            byte[] deep = DeepTraces.otlp(spans, true);
            normalize(flat); // warm up
            normalize(deep);
            double flatMs = median(flat);
            double deepMs = median(deep);
            out.append(String.format(
                    "  %,6d spans: flat %7.1f ms, chained %7.1f ms, deep/flat %.2f%n",
                    spans, flatMs, deepMs, deepMs / flatMs));
        }
        return out.toString();
    }

    private static double median(byte[] trace) {
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            // CPU time of this thread, not wall time: on a shared, busy machine wall time mostly measures the others.
            long t0 = THREADS.getCurrentThreadCpuTime();
            normalize(trace);
            ms[i] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }

    private static NormalizedRun normalize(byte[] trace) {
        return Normalizer.normalize(
                TraceSource.OTEL,
                DeepTraces.TRACE_ID,
                List.of(new Normalizer.Body("trace", trace, false)),
                List.of(),
                Optional.empty());
    }
}
