package io.firebreak.bot.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.access.ApiToken;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.incident.slack.LifecycleCommands;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces served side by side by one Firebreak (issue 19), through real Jetty and real signed Slack requests:
 * each opens, lists, shows, clicks, reads its own incidents only, with its own bot token; another workspace's
 * incident is answered exactly as one that does not exist.
 */
class TwoWorkspacesTest {
    private static final String TEAM_A = "T0AAAAAA1";
    private static final String TEAM_B = "T0BBBBBB2";
    private static final String TOKEN_A = "xoxb-workspace-a-token";
    private static final String TOKEN_B = "xoxb-workspace-b-token";
    private static final String API_A = "api-token-of-workspace-a-0123";
    private static final String API_B = "api-token-of-workspace-b-0123";
    private static final String API_NONE = "api-token-of-no-workspace-0123";
    private static final String FORM = "application/x-www-form-urlencoded";

    private static TestBot bot;
    private static long incidentA;
    private static long incidentB;

    @BeforeAll
    static void start() {
        Map<String, String> tokens = Map.of(TEAM_A, TOKEN_A, TEAM_B, TOKEN_B);
        bot = TestBot.startWorkspaces(
                Map.of(
                        "FIREBREAK_API_TOKENS",
                        "a@" + TEAM_A + ":" + ApiToken.hash(API_A) + ":incidents:read;b@" + TEAM_B + ":"
                                + ApiToken.hash(API_B) + ":incidents:read;none:" + ApiToken.hash(API_NONE)
                                + ":incidents:read",
                        "FIREBREAK_INTAKE_SECRET",
                        TestBot.INTAKE_SECRET,
                        "FIREBREAK_INTAKE_TEAM",
                        TEAM_B),
                workspace -> Optional.ofNullable(tokens.get(workspace.teamId())).map(Secret::new),
                Tenancy.several(Optional.empty()));
        assertThat(bot.text(command(TEAM_A, "open high Refunds wrong in workspace A")))
                .contains("Opened");
        assertThat(bot.text(command(TEAM_B, "open high Search down in workspace B")))
                .contains("Opened");
        incidentA = bot.count("select id from incident where team_id = ?", TEAM_A);
        incidentB = bot.count("select id from incident where team_id = ?", TEAM_B);
        assertThat(incidentA).isNotEqualTo(incidentB);
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void eachWorkspaceListsItsOwnIncidentsOnly() {
        String listA = bot.text(command(TEAM_A, "list"));
        String listB = bot.text(command(TEAM_B, "list"));

        assertThat(listA).contains("INC-" + incidentA).doesNotContain("INC-" + incidentB + "*");
        assertThat(listB).contains("INC-" + incidentB).doesNotContain("INC-" + incidentA + "*");
        assertThat(listA).doesNotContain("Search down");
        assertThat(listB).doesNotContain("Refunds wrong");
    }

    @Test
    void anotherWorkspacesIncidentIsAnsweredExactlyAsAKeyThatDoesNotExist() {
        String other = bot.text(command(TEAM_A, "show INC-" + incidentB));
        String missing = bot.text(command(TEAM_A, "show INC-987654"));
        assertThat(other.replace("INC-" + incidentB, "INC-?")).isEqualTo(missing.replace("INC-987654", "INC-?"));
        assertThat(other).contains("There is no incident").doesNotContain("Search down");

        // A change typed with the other workspace's key is refused the same way, and nothing is written.
        long events = bot.count("select count(*) from timeline_event where incident_id = ?", incidentB);
        String note = bot.text(command(TEAM_A, "note INC-" + incidentB + " hello from A"));
        String noteMissing = bot.text(command(TEAM_A, "note INC-987654 hello from A"));
        assertThat(note.replace("INC-" + incidentB, "INC-?")).isEqualTo(noteMissing.replace("INC-987654", "INC-?"));
        assertThat(bot.count("select count(*) from timeline_event where incident_id = ?", incidentB))
                .isEqualTo(events);

        // Its own workspace still sees it.
        assertThat(bot.text(command(TEAM_B, "show INC-" + incidentB))).contains("Search down");
    }

    @Test
    void aButtonReplayedFromAnotherWorkspaceIsRefusedAndChangesNothing() {
        String phase = bot.string("select phase from incident where id = ?", incidentA);
        String click = Interactions.buttonClick(
                        LifecycleCommands.RESOLVE_BUTTON,
                        "INC-" + incidentA,
                        TestBot.USER,
                        TestBot.CHANNEL,
                        "1503435956.000247")
                .replace("T111", TEAM_B);

        HttpResponse<String> answer = bot.postSigned(click, FORM);

        assertThat(answer.statusCode()).isEqualTo(200);
        LoggedRequest refusal = bot.slack().awaitRequest("chat.postEphemeral", "There%20is%20no%20incident");
        assertThat(refusal.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN_B);
        assertThat(refusal.getBodyAsString()).doesNotContain("Refunds");
        assertThat(bot.string("select phase from incident where id = ?", incidentA))
                .isEqualTo(phase);
    }

    @Test
    void aModalSubmittedWithAnotherWorkspacesIdIsRefusedAndWritesNothing() {
        long events = bot.count("select count(*) from timeline_event where incident_id = ?", incidentA);
        String submission = Interactions.viewSubmission(
                        LifecycleCommands.NOTE_MODAL,
                        "V0NOTE0001",
                        "INC-" + incidentA,
                        TestBot.USER,
                        Map.of("note", Interactions.text("a note forged from workspace B")))
                .replace("T123", TEAM_B);

        HttpResponse<String> answer = bot.postSigned(submission, FORM);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body())
                .contains("There is no incident INC-" + incidentA)
                .doesNotContain("Refunds");
        assertThat(bot.count("select count(*) from timeline_event where incident_id = ?", incidentA))
                .isEqualTo(events);
    }

    @Test
    void incidentsFromBeforeWorkspacesWereKeptAreSeenByNoWorkspaceUnlessAdopted() {
        assertThat(bot.text(command(TEAM_A, "open Old incident from the single token")))
                .contains("Opened");
        long old = bot.count("select max(id) from incident where team_id = ?", TEAM_A);
        bot.db().useHandle(h -> h.execute("update incident set team_id = '' where id = ?", old));

        assertThat(bot.text(command(TEAM_A, "list"))).doesNotContain("Old incident");
        assertThat(bot.text(command(TEAM_B, "list"))).doesNotContain("Old incident");
        assertThat(bot.text(command(TEAM_A, "show INC-" + old))).contains("There is no incident INC-" + old);
    }

    @Test
    void eachIncidentsCardIsPostedWithItsOwnWorkspacesToken() {
        assertThat(bot.slack()
                        .awaitRequest("chat.postMessage", "Refunds%20wrong")
                        .getHeader("Authorization"))
                .isEqualTo("Bearer " + TOKEN_A);
        assertThat(bot.slack().awaitRequest("chat.postMessage", "Search%20down").getHeader("Authorization"))
                .isEqualTo("Bearer " + TOKEN_B);
    }

    @Test
    void appHomeShowsTheWorkspacesOwnIncidentsWithItsToken() {
        String home =
                SlackRequests.appHomeOpened("EvHOMEA0001", "U0HOMEA01", "home").replace("TXXXXXXXX", TEAM_A);
        assertThat(bot.postSigned(home, "application/json").statusCode()).isEqualTo(200);

        LoggedRequest published = bot.slack().awaitRequest("views.publish", "U0HOMEA01");
        assertThat(published.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN_A);
        assertThat(published.getBodyAsString()).contains("Refunds").doesNotContain("Search%20down");
    }

    @Test
    void theReadApiReadsTheTokensWorkspaceOnly() {
        JsonNode listA = bot.json(bot.get("/api/incidents", Optional.of(API_A)));
        JsonNode listB = bot.json(bot.get("/api/incidents", Optional.of(API_B)));
        assertThat(listA.path("incidents").findValuesAsText("key"))
                .contains("INC-" + incidentA)
                .doesNotContain("INC-" + incidentB);
        assertThat(listB.path("incidents").findValuesAsText("key"))
                .contains("INC-" + incidentB)
                .doesNotContain("INC-" + incidentA);

        HttpResponse<String> other = bot.get("/api/incidents/INC-" + incidentB, Optional.of(API_A));
        HttpResponse<String> missing = bot.get("/api/incidents/INC-987654", Optional.of(API_A));
        assertThat(other.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(other.body().replace("INC-" + incidentB, "INC-?"))
                .isEqualTo(missing.body().replace("INC-987654", "INC-?"));

        // With several workspaces, a token that names none reads nothing.
        assertThat(bot.json(bot.get("/api/incidents", Optional.of(API_NONE)))
                        .path("incidents")
                        .size())
                .isZero();
    }

    @Test
    void aReportBelongsToItsFormsWorkspace() {
        HttpResponse<String> answer = bot.report(
                "{\"description\":\"answered in the wrong language\",\"workflow\":\"lang-b\",\"form\":\"f\"}");
        assertThat(answer.statusCode()).isBetween(200, 202);
        Await.until(
                "the report's incident",
                () -> bot.count("select count(*) from incident where source = 'report' and team_id = ?", TEAM_B) == 1);

        assertThat(bot.text(command(TEAM_B, "list"))).contains("wrong language");
        assertThat(bot.text(command(TEAM_A, "list"))).doesNotContain("wrong language");
    }

    @Test
    void removingFirebreakFromAWorkspaceMarksItsOpenIncidentsAndKeepsThem() {
        String workspaceC = "T0CCCCCC3";
        assertThat(bot.text(command(workspaceC, "open Workspace C incident"))).contains("Opened");
        long incidentC = bot.count("select id from incident where team_id = ?", workspaceC);

        int marked = bot.firebreak().workspaceRemoval().onUninstalled(Workspace.of(workspaceC));

        assertThat(marked).isEqualTo(1);
        assertThat(bot.string(
                        "select details->>'text' from timeline_event where incident_id = ? and kind = 'workspace_removed'",
                        incidentC))
                .isEqualTo("Firebreak was removed from this workspace; the incident is kept");
        assertThat(bot.count(
                        "select count(*) from timeline_event where kind = 'workspace_removed' and incident_id <> ?",
                        incidentC))
                .isZero();
        assertThat(bot.string("select phase from incident where id = ?", incidentC))
                .isEqualTo("DETECTED");
    }

    private static HttpResponse<String> command(String team, String text) {
        String body = Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL)
                .replace("team_id=T1DC2JH3J", "team_id=" + team);
        return bot.postSigned(body, FORM);
    }
}
