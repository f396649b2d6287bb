package io.firebreak.bot.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Every latency of one measurement, kept exactly (no buckets), with nearest-rank percentiles over the sorted values.
 * Safe to add to from several threads.
 */
public final class Latencies {
    private long[] nanos = new long[1024];
    private int size;

    /** Adds one latency, in nanoseconds. */
    public synchronized void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    public synchronized int count() {
        return size;
    }

    /** The count, median, p95, p99 and maximum as they are now. */
    public synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        return new Summary(
                size,
                rank(sorted, 50),
                rank(sorted, 95),
                rank(sorted, 99),
                size == 0 ? 0 : sorted[size - 1],
                size == 0 ? 0 : sorted[0]);
    }

    /** Percentiles in nanoseconds (0 when nothing was recorded). */
    public record Summary(int count, long p50, long p95, long p99, long max, long min) {
        /** {@code median 1.2 ms, p95 …, p99 …, max …}. */
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "median %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                    ms(p50),
                    ms(p95),
                    ms(p99),
                    ms(max));
        }
    }

    /** Nanoseconds as milliseconds. */
    public static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** The nearest-rank percentile of sorted values. */
    private static long rank(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
