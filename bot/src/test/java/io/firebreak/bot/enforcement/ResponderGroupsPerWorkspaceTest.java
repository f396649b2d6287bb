package io.firebreak.bot.enforcement;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With several workspaces, a responder user group ({@code FIREBREAK_RESPONDERS=S…}) is read as the workspace of the
 * request with that workspace's token: a member of workspace B's group may change B's incident, and the same user
 * ID is nobody in workspace A, whose group does not hold it (issue 19). Before, the read went out with no workspace,
 * found no token, and every group counted as nobody without a word.
 */
class ResponderGroupsPerWorkspaceTest {
    private static final String TEAM_A = "T0AAAAAA1";
    private static final String TEAM_B = "T0BBBBBB2";
    private static final String TOKEN_A = "xoxb-workspace-a-token";
    private static final String TOKEN_B = "xoxb-workspace-b-token";
    private static final String MEMBER = "U0ONCALL22";
    private static final String FORM = "application/x-www-form-urlencoded";

    private static TestBot bot;

    @BeforeAll
    static void start() {
        Map<String, String> tokens = Map.of(TEAM_A, TOKEN_A, TEAM_B, TOKEN_B);
        bot = TestBot.startWorkspaces(
                Map.of("FIREBREAK_RESPONDERS", "U0RESPOND1,S0ONCALL"),
                workspace -> Optional.ofNullable(tokens.get(workspace.teamId())).map(Secret::new),
                Tenancy.several(Optional.empty()));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/usergroups.users.list")
                        .withHeader("Authorization", equalTo("Bearer " + TOKEN_B))
                        .willReturn(okJson("{\"ok\": true, \"users\": [\"" + MEMBER + "\"]}")));
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void aGroupMemberIsAResponderInTheGroupsWorkspaceOnly() {
        assertThat(bot.text(command(TEAM_B, "open high Search down in B", "U0RANDOM99")))
                .contains("Opened");
        long incidentB = bot.count("select max(id) from incident where team_id = ?", TEAM_B);
        assertThat(bot.text(command(TEAM_A, "open high Refunds wrong in A", "U0RANDOM99")))
                .contains("Opened");
        long incidentA = bot.count("select max(id) from incident where team_id = ?", TEAM_A);

        String inB = bot.text(command(TEAM_B, "status INC-" + incidentB + " contained", MEMBER));
        String inA = bot.text(command(TEAM_A, "status INC-" + incidentA + " contained", MEMBER));

        assertThat(inB).contains("to *contained*");
        assertThat(inA).contains("Only responders");
        LoggedRequest read = bot.slack().awaitRequest("usergroups.users.list", "S0ONCALL");
        assertThat(read.getHeader("Authorization")).startsWith("Bearer xoxb-workspace-");
        assertThat(bot.slack()
                        .wiremock()
                        .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                                                "/api/usergroups.users.list"))
                                .withHeader("Authorization", equalTo("Bearer " + TOKEN_B))))
                .isNotEmpty();
        assertThat(bot.string("select phase from incident where id = ?", incidentB))
                .isEqualTo("CONTAINED");
        assertThat(bot.string("select phase from incident where id = ?", incidentA))
                .isNotEqualTo("CONTAINED");
    }

    private static HttpResponse<String> command(String team, String text, String user) {
        String body = Fixtures.slashCommand("/incident", text, user, TestBot.CHANNEL)
                .replace("team_id=T1DC2JH3J", "team_id=" + team);
        return bot.postSigned(body, FORM);
    }
}
