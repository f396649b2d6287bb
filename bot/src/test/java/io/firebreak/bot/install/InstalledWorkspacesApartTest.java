package io.firebreak.bot.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces installed through OAuth on one deployment: each incident's Slack calls carry its own workspace's
 * stored token, and neither workspace sees or reaches the other's incidents.
 */
class InstalledWorkspacesApartTest {
    /** Slack's documented install answer: workspace T9TK3CUKW. */
    private static final String DOCS_TEAM = "T9TK3CUKW";

    private static final String DOCS_TOKEN = "xoxb-docs-example-bot-token";
    /** The token-rotation install answer: workspace T111. */
    private static final String ROTATION_TEAM = "T111";

    private static final String ROTATION_TOKEN = "xoxe.xoxb-1-yyy";

    private static HttpResponse<String> commandFrom(TestBot bot, String team, String text) {
        return bot.postSigned(
                Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL)
                        .replace("team_id=T1DC2JH3J", "team_id=" + team),
                "application/x-www-form-urlencoded");
    }

    @Test
    void eachInstalledWorkspaceUsesItsOwnTokenAndSeesOnlyItsOwnIncidents() {
        try (TestBot bot = Installs.start()) {
            assertThat(Installs.install(bot, Installs.BOT_AND_USER).statusCode())
                    .isEqualTo(200);
            assertThat(Installs.install(bot, Installs.ROTATION_T111).statusCode())
                    .isEqualTo(200);

            String docsKey = key(bot.text(commandFrom(bot, DOCS_TEAM, "open high Refund agent sent wrong refunds")));
            String rotationKey =
                    key(bot.text(commandFrom(bot, ROTATION_TEAM, "open high Search agent answers in French")));

            // Each card goes out with the token stored for its own workspace.
            assertThat(bot.slack()
                            .awaitRequest("chat.postMessage", "Refund%20agent")
                            .getHeader("Authorization"))
                    .isEqualTo("Bearer " + DOCS_TOKEN);
            assertThat(bot.slack()
                            .awaitRequest("chat.postMessage", "Search%20agent")
                            .getHeader("Authorization"))
                    .isEqualTo("Bearer " + ROTATION_TOKEN);

            // Listings and lookups are kept apart; the other workspace's key is answered as unknown.
            assertThat(bot.text(commandFrom(bot, DOCS_TEAM, "list")))
                    .contains("Refund agent")
                    .doesNotContain("Search agent");
            assertThat(bot.text(commandFrom(bot, ROTATION_TEAM, "list")))
                    .contains("Search agent")
                    .doesNotContain("Refund agent");
            assertThat(bot.text(commandFrom(bot, ROTATION_TEAM, "show " + docsKey)))
                    .contains("There is no incident " + docsKey);
            assertThat(bot.text(commandFrom(bot, ROTATION_TEAM, "note " + docsKey + " not yours")))
                    .contains("There is no incident " + docsKey);
            assertThat(bot.text(commandFrom(bot, DOCS_TEAM, "show " + rotationKey)))
                    .contains("There is no incident " + rotationKey);
        }
    }

    private static String key(String text) {
        java.util.regex.Matcher key =
                java.util.regex.Pattern.compile("INC-\\d+").matcher(text);
        assertThat(key.find()).as("an incident key in: " + text).isTrue();
        return key.group();
    }
}
