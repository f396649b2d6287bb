package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartAndShutdownTest {

    @Test
    void embeddedDatabaseKeepsIncidentsAcrossARestart(@TempDir Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null);
        env.put("FIREBREAK_DATA_DIR", dataDir.toString());
        env.put("SLACK_SIGNING_SECRET", null);
        try (TestBot bot = startWithGeneratedSecret(env, dataDir)) {
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");

            bot.restart();

            assertThat(bot.text(bot.command("list"))).contains("INC-1").contains("Refund agent sent wrong refunds");
            assertThat(bot.text(bot.command("open low Second one"))).contains("INC-2");
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("slack-signing-secret")).exists();
    }

    /** The bot generates its signing secret on first start; the test signs with the same file, as the local client does. */
    private static TestBot startWithGeneratedSecret(Map<String, String> env, Path dataDir) {
        String secret = io.firebreak.bot.platform.config.ConfigLoader.loadOrCreateSigningSecret(dataDir)
                .value();
        assertThat(secret).matches("[0-9a-f]{32}");
        assertThat(io.firebreak.bot.platform.config.ConfigLoader.loadOrCreateSigningSecret(dataDir)
                        .value())
                .isEqualTo(secret);
        env.put("SLACK_SIGNING_SECRET", null);
        return TestBot.startSigningWith(env, secret);
    }

    @Test
    void stopLetsARequestInFlightFinishAndKeepsWhatItWrote() throws Exception {
        try (TestBot bot = TestBot.start()) {
            bot.command("open low Warm-up");
            // Its card job writes to the incident too; done first, it cannot be the session waiting for the lock below.
            bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
            // Hold a lock so the next open blocks inside its transaction, then stop the bot while it waits.
            try (Connection lock = DriverManager.getConnection(bot.databaseUrl().jdbcUrl());
                    Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                s.execute("lock table incident in exclusive mode");
                CompletableFuture<HttpResponse<String>> inFlight =
                        CompletableFuture.supplyAsync(() -> bot.command("open high Refund agent sent wrong refunds"));
                Await.until(
                        "the second open to wait for the lock",
                        () -> bot.count(
                                        "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                                > 0);
                assertThat(inFlight).isNotDone();
                int port = bot.firebreak().port();
                CompletableFuture<Void> stopping =
                        CompletableFuture.runAsync(() -> bot.firebreak().close());
                Await.until("the bot to stop taking connections", () -> refusesConnections(port));
                lock.commit();

                HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
                stopping.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(bot.text(response)).contains("INC-2");
            }
            assertThat(bot.count("select count(*) from incident")).isEqualTo(2);
        }
    }

    @Test
    void anEmptyDataDirectoryIsCreated(@TempDir Path parent) {
        Path dataDir = parent.resolve("nested/data");
        io.firebreak.bot.platform.config.ConfigLoader.loadOrCreateSigningSecret(dataDir);
        assertThat(Files.isDirectory(dataDir)).isTrue();
    }

    private static boolean refusesConnections(int port) {
        try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
