package io.firebreak.bot.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With several workspaces, an alert or a report about a workflow (or an agent run) that both workspaces have an open
 * incident for joins its own workspace's, even when the other workspace's is the newer one: the lookup itself is
 * scoped by workspace, so the other's incident cannot hide it and no duplicate is opened (issue 19).
 */
class WorkspacesJoinTest {
    private static final String TEAM_A = "T0AAAAAA1";
    private static final String TEAM_B = "T0BBBBBB2";
    private static final String SOURCES = """
            sources:
              prom-a:
                kind: alertmanager
                team: T0AAAAAA1
                auth: {bearer: "${TEST_AM_TOKEN}"}
              prom-b:
                kind: alertmanager
                team: T0BBBBBB2
                auth: {bearer: "${TEST_AM_TOKEN}"}
              prom-b2:
                kind: alertmanager
                team: T0BBBBBB2
                auth: {bearer: "${TEST_AM_TOKEN}"}
            """;

    private static TestBot bot;

    @BeforeAll
    static void start() {
        Map<String, String> env =
                Alerts.env("FIREBREAK_INTAKE_SECRET", TestBot.INTAKE_SECRET, "FIREBREAK_INTAKE_TEAM", TEAM_B);
        env.put("FIREBREAK_SIGNALS", Alerts.write("signals", SOURCES).toString());
        Map<String, String> tokens = Map.of(TEAM_A, "xoxb-workspace-a", TEAM_B, "xoxb-workspace-b");
        bot = TestBot.startWorkspaces(
                env,
                workspace -> Optional.ofNullable(tokens.get(workspace.teamId())).map(Secret::new),
                Tenancy.several(Optional.empty()));
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void anAlertJoinsItsOwnWorkspacesIncidentForTheWorkflowWhenTheOtherWorkspacesIsNewer() {
        assertThat(alert("prom-b", "checkout", 1).statusCode()).isEqualTo(202);
        long incidentB = incidentOf(TEAM_B, "checkout");
        assertThat(alert("prom-a", "checkout", 2).statusCode()).isEqualTo(202);
        long incidentA = incidentOf(TEAM_A, "checkout");
        assertThat(incidentA).isNotEqualTo(incidentB);

        // Another source of workspace B about the same workflow: A's signal is the newest about it.
        assertThat(alert("prom-b2", "checkout", 3).statusCode()).isEqualTo(202);

        assertThat(bot.count("select incident_id from signal where source = 'prom-b2'"))
                .isEqualTo(incidentB);
        assertThat(bot.count(
                        "select count(distinct s.incident_id) from signal s join incident i on i.id = s.incident_id"
                                + " where i.team_id = ? and s.workflow = 'checkout'",
                        TEAM_B))
                .as("no duplicate incident in workspace B")
                .isEqualTo(1);
    }

    @Test
    void aReportJoinsItsOwnWorkspacesIncidentForTheWorkflowWhenTheOtherWorkspacesIsNewer() {
        assertThat(report("payouts", "refunds answered twice").statusCode()).isBetween(200, 202);
        long incidentB = bot.count("select max(incident_id) from report where workflow = 'payouts'");
        assertThat(bot.string("select team_id from incident where id = ?", incidentB))
                .isEqualTo(TEAM_B);
        // Workspace A has an open incident that a report about the same workflow joined later (received when the
        // forms served workspace A): the newest report about the workflow is A's.
        assertThat(alert("prom-a", "payouts", 10).statusCode()).isEqualTo(202);
        long incidentA = incidentOf(TEAM_A, "payouts");
        bot.db().useHandle(h -> h.execute("""
                        insert into report (incident_id, description, reporter, source, workflow, form, received_at,
                                            joined_existing)
                        select ?, description, reporter, source, workflow, form, now(), true
                        from report where incident_id = ?
                        """, incidentA, incidentB));
        long incidentsInB = bot.count("select count(*) from incident where team_id = ?", TEAM_B);

        // Another description: the same body signed in the same second would be answered as a replay of the first.
        assertThat(report("payouts", "refunds answered three times").statusCode())
                .isBetween(200, 202);

        assertThat(bot.count("select max(id) from report where workflow = 'payouts'"))
                .isEqualTo(bot.count("select max(id) from report where incident_id = ?", incidentB));
        assertThat(bot.count("select count(*) from incident where team_id = ?", TEAM_B))
                .as("no duplicate incident in workspace B")
                .isEqualTo(incidentsInB);
    }

    private static long incidentOf(String team, String workflow) {
        return bot.count(
                "select max(s.incident_id) from signal s join incident i on i.id = s.incident_id"
                        + " where i.team_id = ? and s.workflow = ?",
                team,
                workflow);
    }

    private static HttpResponse<String> alert(String source, String workflow, int fingerprint) {
        return Alerts.bearer(
                bot, source, Alerts.AM_TOKEN, Alerts.alertmanagerStorm("ToolErrors", workflow, fingerprint, 1));
    }

    private static HttpResponse<String> report(String workflow, String description) {
        return bot.report("{\"description\":\"" + description + "\",\"workflow\":\"" + workflow + "\",\"form\":\"f\"}");
    }
}
