package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bot whose database is not there yet when it starts, as in a deployment where both come up together. */
class DatabaseStartupTest {
    static final String PASSWORD = "pw-must-never-be-logged-7Hq2";

    @Test
    void waitsForTheDatabaseSayingWhyAndBecomesReadyByItself(@TempDir Path data) throws Exception {
        int port = TestBot.freePort();
        String url = "postgres://postgres:" + PASSWORD + "@127.0.0.1:" + port + "/postgres";
        EmbeddedPostgres postgres = null;
        try (LogCapture logs = LogCapture.capture();
                TestBot bot = TestBot.launch(Map.of("DATABASE_URL", url), Duration.ofMillis(200))) {
            String location = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
            JsonNode retrying = logs.awaitMessage("not reachable");
            assertThat(retrying.path("level").asText()).isEqualTo("WARN");
            assertThat(retrying.path("message").asText())
                    .startsWith("database " + location
                            + " not reachable (connection refused); retrying in 200 ms (attempt ");

            HttpResponse<String> health = bot.get("/healthz", Optional.empty());
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode body = bot.json(health);
            assertThat(body.path("status").asText()).isEqualTo("starting");
            // The log names the database for the operator; what anyone can read does not (issue 17).
            assertThat(body.path("reason").asText()).contains("the database not reachable (connection refused)");
            assertThat(health.body()).doesNotContain(location).doesNotContain(String.valueOf(port));

            HttpResponse<String> command = bot.command("open high Refund agent sent wrong refunds");
            assertThat(command.statusCode()).isEqualTo(503);
            assertThat(command.headers().firstValue("Retry-After")).contains("5");
            assertThat(bot.json(command).path("error").asText())
                    .startsWith("Firebreak is starting: the database not reachable");
            assertThat(bot.api("/api/incidents").statusCode()).isEqualTo(503);
            assertThat(bot.get("/metrics", Optional.empty()).statusCode()).isEqualTo(200);
            // Alive all the same: restarting would not bring the database.
            HttpResponse<String> liveness = bot.get("/healthz?probe=liveness", Optional.empty());
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(bot.json(liveness).path("ready").asBoolean()).isFalse();
            assertThat(bot.firebreak().ready()).isFalse();

            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .start();
            awaitHealthy(bot);

            assertThat(bot.firebreak().ready()).isTrue();
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");
            // Jobs started with the database: the card is posted.
            assertThat(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("text"))
                    .contains("INC-1");
            assertThat(logs.everything()).doesNotContain(PASSWORD);
            assertThat(health.body()).doesNotContain(PASSWORD);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void startStillFailsAtOnceWhenTheDatabaseIsNotThere() throws Exception {
        int port = TestBot.freePort();
        Instant started = Instant.now();

        assertThatThrownBy(() -> TestBot.start(
                        Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bot did not start");
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void saysWhyTheDatabaseCannotBeReachedInAFewWords() {
        assertThat(DatabaseStartup.unreachableBecause(
                        new RuntimeException(new SQLException("password authentication failed for user", "28P01"))))
                .contains("authentication failed");
        assertThat(DatabaseStartup.unreachableBecause(new SQLException("database \"x\" does not exist", "3D000")))
                .contains("the database does not exist");
        assertThat(DatabaseStartup.unreachableBecause(
                        new RuntimeException(new java.net.UnknownHostException("db.internal"))))
                .contains("unknown host");
        assertThat(DatabaseStartup.unreachableBecause(new SQLException("syntax error", "42601")))
                .isEmpty();
    }

    static void awaitHealthy(TestBot bot) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (bot.get("/healthz", Optional.empty()).statusCode() == 200) {
                return;
            }
            SlackApiStub.sleep(100);
        }
        throw new AssertionError("the bot did not become healthy: "
                + bot.get("/healthz", Optional.empty()).body());
    }
}
