package io.firebreak.bot.paging;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shift change with several workspaces: the outgoing person commands an incident in each; the incoming person is a
 * different Slack user in each (found by e-mail with each workspace's token), so each workspace's incident is offered
 * to that workspace's user, and the outgoing person is told in each workspace, with its token (issue 19). Before, the
 * e-mail lookup and the direct message went out with no workspace, found no token, and nothing happened.
 */
class ShiftChangeWorkspacesTest {
    private static final String TEAM_A = "T0AAAAAA1";
    private static final String TEAM_B = "T0BBBBBB2";
    private static final String TOKEN_A = "xoxb-workspace-a-token";
    private static final String TOKEN_B = "xoxb-workspace-b-token";
    private static final String ALICE = "U0ALICE001";
    private static final String BOB_IN_A = "U0BOBAAAA1";
    private static final String BOB_IN_B = "U0BOBBBBB2";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final PagerDutyStub pagerDuty = new PagerDutyStub();
    private TestBot bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        pagerDuty.close();
    }

    @Test
    void eachWorkspacesIncidentsGoToThatWorkspacesUserAndTheOutgoingPersonIsToldInEach() {
        pagerDuty.onCall(pagerDuty.onCallAnswer("PALICE1", "Alice Adams", "alice@example.com", "2026-12-01T09:00:00Z"));
        Map<String, String> tokens = Map.of(TEAM_A, TOKEN_A, TEAM_B, TOKEN_B);
        bot = TestBot.startWorkspaces(
                pagerDuty.env(
                        "PAGERDUTY_API_TOKEN",
                        PagerDutyStub.API_TOKEN,
                        "PAGERDUTY_SCHEDULES",
                        PagerDutyStub.SCHEDULE,
                        "PAGERDUTY_ONCALL_POLL",
                        "PT1S",
                        "PAGERDUTY_USER_MAP",
                        "PALICE1=" + ALICE,
                        "FIREBREAK_RESPONDERS",
                        String.join(",", TestBot.USER, ALICE, BOB_IN_A, BOB_IN_B)),
                workspace -> Optional.ofNullable(tokens.get(workspace.teamId())).map(Secret::new),
                Tenancy.several(Optional.empty()));
        for (Map.Entry<String, String> bob :
                Map.of(TOKEN_A, BOB_IN_A, TOKEN_B, BOB_IN_B).entrySet()) {
            bot.slack()
                    .wiremock()
                    .stubFor(post("/api/users.lookupByEmail")
                            .withHeader("Authorization", equalTo("Bearer " + bob.getKey()))
                            .withRequestBody(containing("email=bob%40example.com"))
                            .willReturn(okJson("{\"ok\": true, \"user\": {\"id\": \"" + bob.getValue() + "\"}}")));
        }
        bot.postSigned(command(TEAM_A, "open high Refund agent sent wrong refunds"), FORM);
        bot.postSigned(command(TEAM_B, "open medium Wrong store hours in answers"), FORM);
        long incidentA = bot.count("select max(id) from incident where team_id = ?", TEAM_A);
        long incidentB = bot.count("select max(id) from incident where team_id = ?", TEAM_B);
        bot.awaitCount(1, "select count(*) from oncall_shift");

        pagerDuty.onCall(pagerDuty.onCallAnswer("PBOB001", "Bob Brown", "bob@example.com", "2026-12-02T09:00:00Z"));

        bot.awaitCount(2, "select count(*) from handoff");
        assertThat(bot.string("select to_user from handoff where incident_id = ?", incidentA))
                .isEqualTo(BOB_IN_A);
        assertThat(bot.string("select to_user from handoff where incident_id = ?", incidentB))
                .isEqualTo(BOB_IN_B);
        Await.until("Alice told in both workspaces", () -> toAlice().size() >= 2);
        List<LoggedRequest> told = toAlice();
        assertThat(told).hasSize(2);
        LoggedRequest inA = told.stream()
                .filter(r -> ("Bearer " + TOKEN_A).equals(r.getHeader("Authorization")))
                .findFirst()
                .orElseThrow();
        LoggedRequest inB = told.stream()
                .filter(r -> ("Bearer " + TOKEN_B).equals(r.getHeader("Authorization")))
                .findFirst()
                .orElseThrow();
        assertThat(decoded(inA)).contains("<@" + BOB_IN_A + ">").contains("INC-" + incidentA);
        assertThat(decoded(inB)).contains("<@" + BOB_IN_B + ">").contains("INC-" + incidentB);
    }

    private List<LoggedRequest> toAlice() {
        return bot.slack().wiremock().findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))).stream()
                .filter(r -> decoded(r).contains("channel=" + ALICE))
                .filter(r -> decoded(r).contains("Your PagerDuty shift"))
                .toList();
    }

    private static String decoded(LoggedRequest request) {
        return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
    }

    private static String command(String team, String text) {
        return Fixtures.slashCommand("/incident", text, ALICE, TestBot.CHANNEL)
                .replace("team_id=T1DC2JH3J", "team_id=" + team);
    }
}
