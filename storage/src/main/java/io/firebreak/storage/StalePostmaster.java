package io.firebreak.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a killed bot leaves in the embedded server's data folder. The server runs as a child process, and a
 * {@code kill -9} of the bot leaves it running on its own, holding the folder through {@code postmaster.pid}, so the
 * next start failed until someone stopped it by hand. The orphan is asked to shut down fast (its clients died with
 * the bot); a pid file whose process is gone is left for PostgreSQL, which replaces a stale one itself.
 */
final class StalePostmaster {
    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    /** How long an orphan gets to shut down before it is killed. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private StalePostmaster() {}

    /** Stops a server still running on {@code dataDirectory} from an earlier, killed bot; does nothing otherwise. */
    static void clear(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> orphan = owner(pidFile, dataDirectory).filter(StalePostmaster::isPostgres);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle server = orphan.get();
        log.warn(
                "an embedded PostgreSQL (pid {}) left by an earlier run still holds {}: stopping it",
                server.pid(),
                dataDirectory);
        signal("-INT", server.pid());
        Instant deadline = Instant.now().plus(SHUTDOWN_WAIT);
        while (server.isAlive() && Instant.now().isBefore(deadline)) {
            sleep(100);
        }
        if (server.isAlive()) {
            log.warn(
                    "the earlier embedded PostgreSQL (pid {}) did not stop in {} s; killing it",
                    server.pid(),
                    SHUTDOWN_WAIT.toSeconds());
            server.destroyForcibly();
        }
    }

    /** The live process {@code postmaster.pid} names, when the file says it serves this very folder. */
    private static Optional<ProcessHandle> owner(Path pidFile, Path dataDirectory) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            // Line 1 is the postmaster's pid, line 2 its data directory.
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 2 || !Files.isSameFile(Path.of(lines.get(1).trim()), dataDirectory)) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True for a postgres server, not an unrelated process that reused the pid, nor this one. */
    private static boolean isPostgres(ProcessHandle process) {
        return process.pid() != ProcessHandle.current().pid()
                && process.info()
                        .command()
                        .or(() -> process.info().commandLine())
                        .orElse("")
                        .contains("postgres");
    }

    /** SIGINT is PostgreSQL's fast shutdown; Java can only send SIGTERM (smart, which waits for clients) or SIGKILL. */
    private static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", signal, String.valueOf(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
