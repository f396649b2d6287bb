package io.firebreak.bot.testing;

import io.firebreak.storage.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL server for the whole test run, with a fresh database per test bot, so tests
 * never see each other's rows and the server starts once.
 */
public final class SharedPostgres {
    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private SharedPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    /** A new, empty database on the shared server. */
    public static DatabaseUrl freshDatabase() {
        String name = "firebreak_test_" + databases.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + server().getPort() + "/" + name + "?user=postgres");
    }
}
