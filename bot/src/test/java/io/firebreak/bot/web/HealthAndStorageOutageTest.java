package io.firebreak.bot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.TestBot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A bot whose own PostgreSQL server goes away while it runs. */
class HealthAndStorageOutageTest {

    @Test
    void healthAndCommandsSayClearlyWhenTheDatabaseIsGone() throws Exception {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        String url = "jdbc:postgresql://127.0.0.1:" + own.getPort() + "/postgres?user=postgres";
        try (TestBot bot = TestBot.start(Map.of("DATABASE_URL", url))) {
            HttpResponse<String> healthy = bot.get("/healthz", Optional.empty());
            assertThat(healthy.statusCode()).isEqualTo(200);
            JsonNode body = bot.json(healthy);
            assertThat(body.path("status").asText()).isEqualTo("ok");
            assertThat(body.path("database").path("status").asText()).isEqualTo("up");
            // Healthy or why not, but never where the database is (issue 17).
            assertThat(body.path("database").has("location")).isFalse();
            assertThat(healthy.body()).doesNotContain("127.0.0.1").doesNotContain(String.valueOf(own.getPort()));

            own.close();

            HttpResponse<String> down = bot.get("/healthz", Optional.empty());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(bot.json(down).path("database").path("status").asText()).isEqualTo("down");
            assertThat(bot.json(down).path("database").path("reason").asText()).isNotBlank();

            HttpResponse<String> command = bot.command("open high Refund agent sent wrong refunds");
            assertThat(command.statusCode()).isEqualTo(200);
            assertThat(bot.text(command))
                    .isEqualTo(":x: Storage is unavailable, nothing was changed. Try again in a moment.");

            HttpResponse<String> api = bot.api("/api/incidents");
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(bot.json(api).path("error").asText()).startsWith("storage is unavailable");
        } finally {
            own.close();
        }
    }
}
