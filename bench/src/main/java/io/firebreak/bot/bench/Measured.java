package io.firebreak.bot.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Time and heap of one piece of work: the heap in use is sampled every millisecond from a GC before the work to its
 * end (the pools' own peaks are reached at different moments, so their sum overstates it), and the bytes the calling
 * thread allocated are read from the JVM.
 *
 * @param heapBeforeBytes heap in use after the GC, before the work
 * @param peakHeapBytes   the most heap in use seen while it ran, whatever else the JVM was doing
 * @param allocatedBytes  allocated by the calling thread only (work handed to other threads is not counted)
 */
public record Measured(Duration elapsed, long heapBeforeBytes, long peakHeapBytes, long allocatedBytes) {

    /** Work to measure. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d ms, peak heap %d MB, allocated %d MB",
                elapsed.toMillis(),
                peakHeapBytes >> 20,
                allocatedBytes >> 20);
    }

    /** Runs {@code work} after a GC and measures it. */
    public static Measured measure(Work work) throws Exception {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(
                () -> {
                    while (running.get()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        LockSupport.parkNanos(1_000_000);
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        long elapsed;
        long allocated;
        try {
            work.run();
        } finally {
            elapsed = System.nanoTime() - t0;
            allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            running.set(false);
            sampler.join();
        }
        return new Measured(
                Duration.ofNanos(elapsed),
                before,
                Math.max(peak.get(), memory.getHeapMemoryUsage().getUsed()),
                allocated);
    }
}
