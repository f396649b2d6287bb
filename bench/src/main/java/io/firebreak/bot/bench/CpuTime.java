package io.firebreak.bot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM (bot, baselines and load generator) and by the PostgreSQL server's processes. Per
 * request, it tells what each target costs even when other work on the machine takes the cores: throughput on a shared
 * machine says how much CPU the benchmark was given, CPU per request what it did with it.
 *
 * @param jvmNanos      this JVM's CPU time
 * @param postgresNanos the children of the PostgreSQL postmaster whose pid is in {@code postmaster.pid} (its backends
 *                      among them; a backend that has exited no longer counts, and pooled ones live for the run)
 */
record CpuTime(long jvmNanos, long postgresNanos) {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

    /** Now, for the server whose data directory is {@code data}. */
    static CpuTime now(Path data) {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new CpuTime(jvm, postgres(data));
    }

    /** What was used from {@code before} to this. */
    CpuTime since(CpuTime before) {
        return new CpuTime(jvmNanos - before.jvmNanos, postgresNanos - before.postgresNanos);
    }

    private static long postgres(Path data) {
        try {
            String postmaster =
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip();
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                                .mapToLong(p -> childTicks(p, postmaster))
                                .sum()
                        * TICK_NANOS;
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of process {@code proc} when its parent is {@code parent}, else 0. */
    private static long childTicks(Path proc, String parent) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // After the command name in parentheses: state, ppid, ..., utime (14th field) and stime (15th).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[1].equals(parent) ? Long.parseLong(f[11]) + Long.parseLong(f[12]) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
