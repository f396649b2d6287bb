package io.firebreak.bot.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.signing.SigningKey;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With several workspaces, the audit channel ({@code FIREBREAK_AUDIT_CHANNEL}) is a channel of one workspace, named by
 * {@code FIREBREAK_AUDIT_TEAM}: each checkpoint is posted there with that workspace's token, whichever workspace's
 * change made it. Before, the post went out with no workspace, found no token, and the checkpoint said "not posted".
 */
class AuditChannelWorkspaceTest {
    private static final String TEAM_A = "T0AAAAAA1";
    private static final String TEAM_B = "T0BBBBBB2";
    private static final String TOKEN_A = "xoxb-workspace-a-token";
    private static final String TOKEN_B = "xoxb-workspace-b-token";
    private static final String AUDIT_CHANNEL = "C0AUDIT0001";

    @Test
    void checkpointsArePostedWithTheAuditWorkspacesToken() throws IOException {
        Path dir = Files.createTempDirectory("firebreak-audit-team");
        Path keyFile = Files.writeString(
                dir.resolve("signing.pem"), SigningKey.generate().toPem());
        Map<String, String> tokens = Map.of(TEAM_A, TOKEN_A, TEAM_B, TOKEN_B);
        try (TestBot bot = TestBot.startWorkspaces(
                Map.of(
                        "FIREBREAK_SIGNING_KEY",
                        keyFile.toString(),
                        "FIREBREAK_CHECKPOINT_DIR",
                        dir.resolve("published").toString(),
                        "FIREBREAK_AUDIT_CHANNEL",
                        AUDIT_CHANNEL,
                        "FIREBREAK_AUDIT_TEAM",
                        TEAM_B,
                        "FIREBREAK_CHECKPOINT_INTERVAL",
                        "PT1H"),
                workspace -> Optional.ofNullable(tokens.get(workspace.teamId())).map(Secret::new),
                Tenancy.several(Optional.empty()))) {
            // A change in workspace A makes the checkpoint; the audit channel is workspace B's.
            bot.postSigned(command(TEAM_A, "open high Refund agent refunds twice"), FORM);
            long id = bot.count("select max(id) from incident where team_id = ?", TEAM_A);
            assertThat(bot.text(bot.postSigned(command(TEAM_A, "status INC-" + id + " investigating"), FORM)))
                    .contains("*investigating*");

            LoggedRequest posted = bot.slack().awaitRequest("chat.postMessage", AUDIT_CHANNEL);

            assertThat(posted.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN_B);
            bot.awaitCount(
                    1,
                    "select count(*) from checkpoint_publication where target = 'slack'" + " and reference like '"
                            + AUDIT_CHANNEL + "/%'");
        }
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    private static String command(String team, String text) {
        return Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL)
                .replace("team_id=T1DC2JH3J", "team_id=" + team);
    }
}
