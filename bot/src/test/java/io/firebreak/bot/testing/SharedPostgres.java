package io.firebreak.bot.testing;

import io.firebreak.storage.Database;
import io.firebreak.storage.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real embedded PostgreSQL server for the whole test run, with a fresh database per test bot, so tests
 * never see each other's rows and the server starts once.
 *
 * <p>The migrations run once per run, into a template database; each fresh database is a copy of it
 * ({@code CREATE DATABASE … TEMPLATE}), which takes milliseconds, and the bot's own Flyway then finds the schema
 * current. Tests about migrating itself take an {@link #emptyDatabase()}.
 *
 * <p>Where the machine has a memory file system ({@code /dev/shm}) the server keeps its data there: a run creates
 * a database of some 370 files per test bot, and deleting them all from disk when the run ends took longer than
 * surefire waits for a test JVM to exit.
 */
public final class SharedPostgres {
    static final String TEMPLATE = "firebreak_template";
    private static final Path MEMORY = Path.of("/dev/shm");
    private static final String FOLDER_PREFIX = "firebreak-test-pg-";

    private static EmbeddedPostgres server;
    private static boolean templateReady;
    private static final AtomicInteger databases = new AtomicInteger();

    private SharedPostgres() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    private static EmbeddedPostgres.Builder builder() {
        // Write-ahead log is only crash recovery here; a small one keeps the folder small.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("max_wal_size", "64MB")
                .setServerConfig("min_wal_size", "32MB");
        if (Files.isDirectory(MEMORY) && Files.isWritable(MEMORY)) {
            removeFoldersOfDeadRuns();
            builder.setDataDirectory(
                    MEMORY.resolve(FOLDER_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID()));
        }
        return builder;
    }

    /** A test JVM that was killed left its folder behind, holding memory; the pid in the name tells. */
    private static void removeFoldersOfDeadRuns() {
        try (Stream<Path> folders = Files.list(MEMORY)) {
            for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith(FOLDER_PREFIX))
                    .toList()) {
                String pid = folder.getFileName()
                        .toString()
                        .substring(FOLDER_PREFIX.length())
                        .split("-")[0];
                if (pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    delete(folder);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Only housekeeping: another run may be removing the same folder.
        }
    }

    private static void delete(Path folder) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /** A new database on the shared server, migrated to the current schema (a copy of the template). */
    public static DatabaseUrl freshDatabase() {
        migratedTemplate();
        return create("template " + TEMPLATE);
    }

    /** A new database on the shared server with nothing in it, for tests of the migrations themselves. */
    public static DatabaseUrl emptyDatabase() {
        return create("");
    }

    private static DatabaseUrl create(String options) {
        String name = "firebreak_test_" + databases.incrementAndGet();
        execute("create database " + name + " " + options);
        return url(name);
    }

    /**
     * Migrates the template once. Its pool is closed before anything copies it, as PostgreSQL copies a template
     * only while nobody is connected to it; and from then on nobody may connect to it, so no test writes into it.
     */
    private static synchronized void migratedTemplate() {
        if (templateReady) {
            return;
        }
        execute("create database " + TEMPLATE);
        try (Database ignored = Database.connect(url(TEMPLATE), Duration.ofSeconds(10))) {
            // Connecting runs every migration.
        }
        execute("alter database " + TEMPLATE + " with is_template true allow_connections false");
        templateReady = true;
    }

    private static DatabaseUrl url(String name) {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + server().getPort() + "/" + name + "?user=postgres");
    }

    private static void execute(String sql) {
        try (Connection c = server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
