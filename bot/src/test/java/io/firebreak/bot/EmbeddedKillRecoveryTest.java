package io.firebreak.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a {@code kill -9} of the bot in embedded mode, the next start recovers its database without manual steps. */
class EmbeddedKillRecoveryTest {

    @Test
    void theNextStartStopsTheOrphanedServerAndKeepsTheData(@TempDir Path data) throws Exception {
        int port = TestBot.freePort();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("SLACK_SIGNING_SECRET", TestBot.SIGNING_SECRET);
        builder.environment().put("FIREBREAK_DATA_DIR", data.toString());
        builder.redirectErrorStream(true)
                .redirectOutput(data.resolve("first-run.log").toFile());
        Process first = builder.start();
        try {
            awaitHealthy(port);
        } finally {
            first.destroyForcibly().waitFor();
        }
        Path pidFile = data.resolve("postgres").resolve("postmaster.pid");
        long orphanPid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive))
                .as("the server the killed bot left running")
                .contains(true);

        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null);
        env.put("FIREBREAK_DATA_DIR", data.toString());
        try (TestBot second = TestBot.start(env)) {
            assertThat(second.text(second.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("the orphan was stopped")
                    .isFalse();
        }
    }

    private static void awaitHealthy(int port) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // Still starting.
            }
            SlackApiStub.sleep(250);
        }
        throw new AssertionError("the first bot did not become healthy");
    }
}
