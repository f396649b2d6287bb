package io.firebreak.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server for the storage tests of a run, and a new database on it per test class, so the
 * server starts once instead of once per class. {@link EmbeddedDatabaseTest} still starts its own: it is about
 * that server.
 */
final class TestDatabases {
    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private TestDatabases() {}

    /** A new database on the shared server, migrated to the current schema. */
    static Database fresh() {
        String name = "storage_test_" + databases.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Database.connect(
                DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + server().getPort() + "/" + name + "?user=postgres"),
                Duration.ofSeconds(5));
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
