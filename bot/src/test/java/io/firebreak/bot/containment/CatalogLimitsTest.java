package io.firebreak.bot.containment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog whose texts would break the Contain modal in Slack stops the bot at start-up, naming each one. */
class CatalogLimitsTest {

    @Test
    void anExampleTooLongForAPlaceholderIsNamedAtStartUp(@TempDir Path dir) throws IOException {
        String example = "refund-policy-" + "v".repeat(156);
        Path catalog = dir.resolve("actions.yml");
        Files.writeString(
                catalog,
                Files.readString(Path.of(AgentControlStub.SHIPPED_CATALOG))
                        .replace(
                                "pattern: \"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\"\n        example: refund-policy\n",
                                "pattern: \"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}\"\n        example: " + example + "\n"));
        assertThat(example).hasSize(170);

        Throwable failure = catchThrowable(() -> TestBot.start(Map.of("FIREBREAK_ACTIONS", catalog.toString())));

        assertThat(failure).hasMessage("bot did not start").cause().isInstanceOf(CatalogException.class);
        assertThat(((CatalogException) failure.getCause()).problems())
                .singleElement()
                .asString()
                .startsWith(catalog + ": action \"rollback-prompt\": ")
                .endsWith(
                        ".example: is 170 characters; Slack shows a placeholder of at most 150, so an example may have 145");
    }
}
