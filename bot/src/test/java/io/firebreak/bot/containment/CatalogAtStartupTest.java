package io.firebreak.bot.containment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.firebreak.bot.Firebreak;
import io.firebreak.bot.platform.config.Config;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An invalid action catalog stops the bot with every problem listed, rather than running half of it. */
class CatalogAtStartupTest {

    @Test
    void anInvalidCatalogStopsTheBotNamingFileActionAndField(@TempDir Path dir) throws IOException {
        Path catalog = dir.resolve("actions.yml");
        Files.writeString(
                catalog,
                Files.readString(Path.of(AgentControlStub.SHIPPED_CATALOG))
                        .replace("preapproved_from: medium", "preapproved_from: sometimes")
                        .replace(
                                "path: \"/knowledge-sources/{source}/disable\"",
                                "path: \"/knowledge-sources/{sauce}/disable\""));
        int port = freePort();

        Throwable failure = catchThrowable(
                () -> TestBot.start(Map.of("FIREBREAK_ACTIONS", catalog.toString(), "PORT", String.valueOf(port))));

        assertThat(failure).hasMessage("bot did not start").cause().isInstanceOf(CatalogException.class);
        CatalogException problem = (CatalogException) failure.getCause();
        assertThat(problem.problems())
                .containsExactly(
                        catalog
                                + ": action \"force-manual-approval\": preapproved_from: must be low, medium, high or critical (or left out to always need an approver)",
                        catalog
                                + ": action \"remove-knowledge-source\": request.path: {sauce} is not a parameter, a kept value or a built-in ({incident}, {reason}, {requester}, {action_run})");
        assertThat(problem.getMessage()).startsWith("the containment action catalog is invalid:");
        // Nothing is listening: the bot did not start half-way.
        try (ServerSocket reuse = new ServerSocket(port)) {
            assertThat(reuse.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aMissingCatalogFileNamedByTheEnvironmentStopsTheBot(@TempDir Path dir) {
        Config config = ConfigLoader.load(Map.of(
                "FIREBREAK_DATA_DIR",
                dir.toString(),
                "SLACK_SIGNING_SECRET",
                TestBot.SIGNING_SECRET,
                "FIREBREAK_ACTIONS",
                dir.resolve("missing.yml").toString()));

        Throwable failure = catchThrowable(() -> Firebreak.start(config, Clock.systemUTC()));

        assertThat(failure)
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining(dir.resolve("missing.yml") + ": no such file (FIREBREAK_ACTIONS names it)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
