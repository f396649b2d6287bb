package io.firebreak.bot;

import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.web.Readiness;
import io.firebreak.storage.Database;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a replica from "listening" to "ready": migrates the database, starts the durable jobs, and marks the
 * replica {@linkplain Readiness ready}. In the background it keeps trying while the database is unreachable (a
 * database still starting, a network not up yet), saying on each try where it is trying (without credentials)
 * and why it failed; {@code /healthz} says the same.
 */
final class DatabaseStartup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseStartup.class);

    /** What {@code /healthz} says while the pool opens and the request paths run once. */
    static final String WARMING_UP = "warming up";
    /** Longest the pool may take to open all its connections before start-up fails (and is tried again). */
    private static final Duration WARM_LIMIT = Duration.ofSeconds(30);

    private final Database database;
    private final Readiness readiness;
    private final Runnable whenMigrated;
    private final Runnable warmUp;
    private final Set<String> secrets;
    private final long created = System.nanoTime();
    private volatile boolean closed;
    private volatile Thread waiting;

    /**
     * @param whenMigrated what may only run on a migrated database (starting the jobs)
     * @param secrets      credentials that must never appear in what is logged (the database password)
     */
    DatabaseStartup(Database database, Readiness readiness, Runnable whenMigrated, Set<String> secrets) {
        this(database, readiness, whenMigrated, () -> {}, secrets);
    }

    /** @param warmUp what runs the hot paths once (rehearsed) before the replica says it is ready */
    DatabaseStartup(
            Database database, Readiness readiness, Runnable whenMigrated, Runnable warmUp, Set<String> secrets) {
        this.warmUp = warmUp;
        this.database = database;
        this.readiness = readiness;
        this.whenMigrated = whenMigrated;
        this.secrets = secrets;
    }

    /** One try, now: ready when it returns; throws (with the database untouched) when it failed. */
    void now() {
        database.migrate();
        whenMigrated.run();
        readiness.stillWaiting(WARMING_UP);
        long warming = System.nanoTime();
        // Every pooled connection opened (and its server backend warmed), then each hot path run once, before any
        // request is let in: the first burst after a start is then served like the tenth.
        database.warm(WARM_LIMIT);
        long pooled = System.nanoTime();
        warmUp.run();
        long done = System.nanoTime();
        readiness.markReady();
        log.info(
                "ready: the database is migrated, durable jobs are running, {} connections are open ({} ms) and the"
                        + " request paths are warm ({} ms); {} ms after start",
                database.poolSize(),
                (pooled - warming) / 1_000_000,
                (done - pooled) / 1_000_000,
                sinceCreated());
    }

    /** Tries in a background thread every {@code retryEvery} until it succeeds or this is closed. */
    void inBackground(Duration retryEvery) {
        Thread thread = new Thread(() -> retry(retryEvery), "database-startup");
        thread.setDaemon(true);
        waiting = thread;
        thread.start();
    }

    private void retry(Duration retryEvery) {
        for (int attempt = 1; !closed; attempt++) {
            try {
                now();
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                String line = describe(e) + "; retrying in " + seconds(retryEvery) + " (attempt " + attempt + ")";
                log.warn(line);
                // The log names the database for the operator; what anyone can read (/healthz, Slack) does not.
                readiness.stillWaiting(line.replace("database " + database.description(), "the database"));
            }
            try {
                Thread.sleep(retryEvery.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Where the database is and what went wrong, without credentials. */
    String describe(Throwable e) {
        Optional<String> unreachable = unreachableBecause(e);
        if (unreachable.isPresent()) {
            return "database " + database.description() + " not reachable (" + unreachable.get() + ")";
        }
        String message = Optional.ofNullable(e.getMessage())
                .map(m -> m.lines().findFirst().orElse(""))
                .orElse("");
        String safe = Redactor.redact(message.length() > 300 ? message.substring(0, 300) + "…" : message, secrets);
        return "database " + database.description() + " could not be migrated ("
                + e.getClass().getSimpleName() + (safe.isBlank() ? "" : ": " + safe) + ")";
    }

    /** Why the database could not be reached, in a few words; empty when it was reached and something else failed. */
    static Optional<String> unreachableBecause(Throwable e) {
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof NoRouteToHostException) {
                return Optional.of("no route to host");
            }
            if (cause instanceof ConnectException) {
                return Optional.of("connection refused");
            }
            if (cause instanceof UnknownHostException) {
                return Optional.of("unknown host");
            }
            if (cause instanceof SocketTimeoutException) {
                return Optional.of("timed out");
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                Optional<String> reason = switch (sql.getSQLState()) {
                    case "28P01", "28000" -> Optional.of("authentication failed");
                    case "3D000" -> Optional.of("the database does not exist");
                    case "57P03" -> Optional.of("the database is starting up");
                    case "53300" -> Optional.of("too many connections");
                    default -> Optional.empty();
                };
                if (reason.isPresent()) {
                    return reason;
                }
            }
        }
        return Database.isUnavailable(e) ? Optional.of("unavailable") : Optional.empty();
    }

    private long sinceCreated() {
        return (System.nanoTime() - created) / 1_000_000;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Stops trying; a try in progress finishes first. */
    @Override
    public void close() {
        closed = true;
        Thread thread = waiting;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
