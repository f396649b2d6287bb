package io.firebreak.bot.slack.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.SocketModeStandIn;
import io.firebreak.bot.testing.TestBot;
import java.util.Map;
import java.util.Optional;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces over Socket Mode (an org's app gets every workspace's envelopes on the same connections): envelopes
 * whose payloads carry different {@code team_id}s are kept apart exactly as over HTTP: each opens and lists its own
 * incidents, and a key of the other workspace is answered as one that does not exist (issue 19).
 */
class SocketModeWorkspacesTest {
    private static final String TEAM_A = "T0AAAAAA1";
    private static final String TEAM_B = "T0BBBBBB2";

    private SocketModeStandIn slack;
    private TestBot bot;

    @BeforeEach
    void start() {
        slack = new SocketModeStandIn();
        Map<String, String> tokens = Map.of(TEAM_A, "xoxb-workspace-a-token", TEAM_B, "xoxb-workspace-b-token");
        bot = TestBot.startSocketModeWorkspaces(
                slack,
                Map.of(),
                workspace -> Optional.ofNullable(tokens.get(workspace.teamId())).map(Secret::new),
                Tenancy.several(Optional.empty()));
        slack.awaitConnections(2);
        Await.until(
                "both connections greeted", () -> bot.firebreak().slackState().equals("socket: 2 of 2 connected"));
    }

    @AfterEach
    void stop() {
        bot.close();
        slack.close();
    }

    private String command(String envelopeId, String team, String text) {
        WebSocket socket = slack.connections().get(0);
        slack.send(
                socket,
                SocketModeStandIn.slashCommand(
                        envelopeId,
                        Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL)
                                .replace("team_id=T1DC2JH3J", "team_id=" + team)));
        return slack.awaitAck(envelopeId).path("payload").toString();
    }

    @Test
    void envelopesFromTwoWorkspacesAreKeptApartAsOverHttp() {
        assertThat(command("env-open-a", TEAM_A, "open high Refunds wrong in workspace A"))
                .contains("Opened");
        assertThat(command("env-open-b", TEAM_B, "open high Search down in workspace B"))
                .contains("Opened");
        long incidentA = bot.count("select id from incident where team_id = ?", TEAM_A);
        long incidentB = bot.count("select id from incident where team_id = ?", TEAM_B);

        String listA = command("env-list-a", TEAM_A, "list");
        String listB = command("env-list-b", TEAM_B, "list");
        String otherFromA = command("env-show-b-from-a", TEAM_A, "show INC-" + incidentB);

        assertThat(listA).contains("Refunds wrong").doesNotContain("Search down");
        assertThat(listB).contains("Search down").doesNotContain("Refunds wrong");
        assertThat(otherFromA).contains("There is no incident INC-" + incidentB).doesNotContain("Search down");
        assertThat(command("env-show-a", TEAM_A, "show INC-" + incidentA)).contains("Refunds wrong");
    }
}
