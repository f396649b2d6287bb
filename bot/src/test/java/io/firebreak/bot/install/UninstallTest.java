package io.firebreak.bot.install;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Uninstalls and revocations (Slack's own event payloads, signed), and requests from workspaces Firebreak is not
 * installed in.
 */
class UninstallTest {
    static final Workspace T111 = new Workspace("T111", java.util.Optional.of("E111"));

    private static HttpResponse<String> commandFrom(TestBot bot, String team, String text) {
        return bot.postSigned(
                Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL)
                        .replace("team_id=T1DC2JH3J", "team_id=" + team),
                "application/x-www-form-urlencoded");
    }

    @Test
    void aCommandFromAWorkspaceWithoutAnInstallationIsToldHowToInstall() {
        try (TestBot bot = Installs.start("FIREBREAK_PUBLIC_URL", "https://firebreak.example.com");
                LogCapture logs = LogCapture.capture()) {
            HttpResponse<String> answer = commandFrom(bot, "T1DC2JH3J", "open high Refund agent sent wrong refunds");

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(bot.json(answer).path("response_type").asText()).isEqualTo("ephemeral");
            assertThat(bot.text(answer))
                    .contains("Firebreak is not installed in this workspace")
                    .contains("https://firebreak.example.com/slack/install");
            assertThat(bot.count("select count(*) from incident")).isZero();
            assertThat(logs.linesContaining("came from workspace T1DC2JH3J, where Firebreak is not installed"))
                    .isNotEmpty();

            // An event from there: a 200 with nothing, so Slack does not retry, and nothing done.
            HttpResponse<String> event = SlackRequests.event(
                    bot, SlackRequests.reaction("reaction_added", "Ev0NOTHERE", TestBot.USER, "pushpin", "C1", "1.2"));
            assertThat(event.statusCode()).isEqualTo(200);
            assertThat(event.body()).isEmpty();
            assertThat(bot.slack().calls("conversations.history")).isEmpty();
        }
    }

    @Test
    void appUninstalledRemovesTheTokensKeepsTheIncidentsAndMarksThem() {
        try (TestBot bot = Installs.start();
                LogCapture logs = LogCapture.capture()) {
            Installs.install(bot, Installs.ROTATION_T111);
            assertThat(bot.text(commandFrom(bot, "T111", "open high Refund agent sent wrong refunds")))
                    .contains("INC-1");

            HttpResponse<String> answer =
                    SlackRequests.event(bot, Fixtures.read("slack/oauth/app_uninstalled_java_sdk.json"));

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(bot.count("select count(*) from slack_installation where installation_key = 'T111'"
                            + " and bot_token is null and refresh_token is null and uninstalled_at is not null"))
                    .isEqualTo(1);
            assertThat(bot.firebreak().botTokens().botToken(T111)).isEmpty();
            assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
            // The open incident is kept and says on its timeline that Firebreak was removed.
            assertThat(bot.count("select count(*) from timeline_event where kind = 'workspace_removed'"))
                    .isEqualTo(1);
            logs.awaitMessage("Firebreak was removed from workspace T111: 1 open incidents kept and marked");
            // And the workspace is asked to install again.
            assertThat(bot.text(commandFrom(bot, "T111", "list"))).contains("not installed");
        }
    }

    @Test
    void tokensRevokedForTheBotRemovesItsTokensAndForAUserRemovesNothing() {
        try (TestBot bot = Installs.start()) {
            Installs.install(bot, Installs.ROTATION_T111);

            // A user's token revoked: Firebreak keeps none, the bot's stays.
            assertThat(SlackRequests.event(bot, Fixtures.read("slack/oauth/tokens_revoked_user_java_sdk.json"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(bot.firebreak().botTokens().botToken(T111)).isPresent();

            // The bot's: the payload lists bot user IDs; this install's bot user is UB111.
            String botRevoked = Fixtures.read("slack/oauth/tokens_revoked_bot_java_sdk.json")
                    .replace("\"W111\"", "\"UB111\"");
            assertThat(SlackRequests.event(bot, botRevoked).statusCode()).isEqualTo(200);

            assertThat(bot.firebreak().botTokens().botToken(T111)).isEmpty();
            assertThat(bot.count("select count(*) from slack_installation where bot_token is null"
                            + " and refresh_token is null"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aTokenCopiedOntoAnotherWorkspacesRowDoesNotDecrypt() {
        try (TestBot bot = Installs.start();
                LogCapture logs = LogCapture.capture()) {
            Installs.install(bot, Installs.BOT_AND_USER);
            Installs.install(bot, Installs.ROTATION_T111);
            // Someone with database access puts T111's token on T9TK3CUKW's row.
            bot.db()
                    .useHandle(
                            h -> h.execute(
                                    "update slack_installation set bot_token = (select bot_token from"
                                            + " slack_installation where installation_key = 'T111') where installation_key = 'T9TK3CUKW'"));

            assertThat(bot.firebreak().botTokens().botToken(Workspace.of("T9TK3CUKW")))
                    .isEmpty();
            assertThat(logs.linesContaining("the bot token stored for T9TK3CUKW cannot be decrypted"))
                    .isNotEmpty();
            assertThat(bot.firebreak().botTokens().botToken(T111)).isPresent();
        }
    }

    @Test
    void noSecretReachesTheLogs() {
        try (LogCapture logs = LogCapture.capture()) {
            try (TestBot bot = Installs.start()) {
                Installs.install(bot, Installs.ROTATION);
                Installs.answerRefresh(bot, okJson(Fixtures.read(Installs.ROTATION_T111)));
                bot.db()
                        .useHandle(h -> h.execute(
                                "update slack_installation set bot_token_expires_at = now() - interval '1 minute'"));
                assertThat(bot.firebreak().botTokens().botToken(Workspace.of("T9TK3CUKW")))
                        .isPresent();
                Installs.answerInstall(bot, okJson("{\"ok\": false, \"error\": \"invalid_code\"}"));
                Installs.finish(bot, Installs.startInstall(bot));
                SlackRequests.event(bot, Fixtures.read("slack/oauth/app_uninstalled_java_sdk.json"));
            }
            assertThat(logs.size()).isPositive();
            assertThat(logs.everything())
                    .doesNotContain(Installs.CLIENT_SECRET)
                    .doesNotContain(Installs.TOKEN_KEY)
                    .doesNotContain(Installs.CODE)
                    .doesNotContain("xoxe.xoxb")
                    .doesNotContain("xoxe-1-")
                    .doesNotContain("xoxp-");
        }
    }
}
