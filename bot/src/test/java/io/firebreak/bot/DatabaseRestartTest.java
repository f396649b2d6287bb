package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.PrometheusText;
import io.firebreak.bot.testing.TestBot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database goes away under a running bot and comes back: the bot says so clearly, then recovers by itself. */
class DatabaseRestartTest {

    @Test
    void commandsWorkAgainWhenTheDatabaseIsBackWithoutRestartingTheBot(@TempDir Path data) throws Exception {
        int port = TestBot.freePort();
        EmbeddedPostgres postgres = start(data, port);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        try (TestBot bot = TestBot.start(Map.of("DATABASE_URL", url))) {
            assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");
            bot.slack().awaitCalls("chat.postMessage", 1);

            postgres.close();

            Instant asked = Instant.now();
            HttpResponse<String> down = bot.command("note INC-1 refunds paused by hand");
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(3));
            assertThat(bot.text(down))
                    .isEqualTo(":x: Storage is unavailable, nothing was changed. Try again in a moment.");
            assertThat(bot.get("/healthz", Optional.empty()).statusCode()).isEqualTo(503);
            assertThat(bot.get("/healthz?probe=liveness", Optional.empty()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> metricsWhileDown = bot.get("/metrics", Optional.empty());
            assertThat(metricsWhileDown.statusCode()).isEqualTo(200);
            assertThat(new PrometheusText(metricsWhileDown.body()).get("firebreak_jobs_queued", Map.of()))
                    .isNaN();

            postgres = start(data, port);
            DatabaseStartupTest.awaitHealthy(bot);

            assertThat(bot.text(bot.command("note INC-1 refunds paused by hand")))
                    .contains("INC-1");
            assertThat(bot.text(bot.command("open medium Agent quoted an old price")))
                    .contains("INC-2");
            // The durable jobs recovered too: INC-2's card is posted.
            bot.slack().awaitCall("chat.postMessage", call -> call.get("text").startsWith("INC-2 "));
            assertThat(bot.count("select count(*) from timeline_event where kind = 'note'"))
                    .isEqualTo(1);
            assertThat(bot.json(bot.api("/api/incidents/INC-1/timeline/verify"))
                            .path("ok")
                            .asBoolean())
                    .isTrue();
        } finally {
            postgres.close();
        }
    }

    /** PostgreSQL on {@code port} keeping its data in {@code data}, so a restart finds everything where it was. */
    private static EmbeddedPostgres start(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start();
    }
}
