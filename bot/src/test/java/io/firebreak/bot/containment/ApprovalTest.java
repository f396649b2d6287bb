package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Below its pre-approved severity an action waits for an approver's click on the request posted in the
 * incident's thread; clicks are Slack's own block_actions payload, signed.
 */
class ApprovalTest {
    static final String APPROVER = "U0APPROVE1";
    static final String OTHER = "U0BYSTAND1";
    static final String PAUSE = "/workflows/refund-agent/pause";

    AgentControlStub agent = new AgentControlStub();
    TestBot bot;

    private void start(String... env) {
        bot = TestBot.start(agent.env(env));
        Runs.stubSlack(bot);
    }

    @AfterEach
    void stop() {
        bot.close();
        agent.close();
    }

    /** Asks for pause-workflow on a medium incident (pre-approved at high) and waits for the approval request's message. */
    private String askForApproval(String key) {
        String answer = bot.text(
                bot.command("contain " + key + " pause-workflow workflow=refund-agent -- refunds going out twice"));
        assertThat(answer).contains("*Pause workflow* is pre-approved at high and above, so an approver must agree");
        String runId = latestRunId(bot);
        Runs.await(
                () -> bot.count("select count(*) from containment_run where id = ? and approval_ts is not null", runId)
                        == 1,
                "the approval request to be posted");
        return runId;
    }

    private HttpResponse<String> click(String actionId, String runId, String user) {
        return bot.postSigned(
                Interactions.buttonClick(actionId, runId, user, TestBot.CHANNEL, "1503435956.000247"),
                "application/x-www-form-urlencoded");
    }

    @Test
    void anApproversClickFiresTheActionAndTheRequestShowsWhoApproved() {
        start("FIREBREAK_APPROVERS", APPROVER);
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");

        String runId = askForApproval(key);

        assertThat(Runs.state(bot, runId)).isEqualTo("PENDING_APPROVAL");
        Map<String, String> request = bot.slack().calls("chat.postMessage").stream()
                .filter(p -> p.getOrDefault("blocks", "").contains("containment_approve"))
                .findFirst()
                .orElseThrow();
        String blocks = bot.slack().json(request.get("blocks")).toString();
        assertThat(request.get("thread_ts")).isEqualTo("1503435956.000247");
        assertThat(blocks)
                .contains("<@" + TestBot.USER + "> asks to *Pause workflow* `workflow=refund-agent` on *" + key + "*")
                .contains(">refunds going out twice")
                .contains("It is pre-approved at high and above and " + key
                        + " is medium, so an approver must agree. Approvers: <@" + APPROVER + ">.")
                .contains("\"action_id\":\"containment_deny\"");
        JobQueue.awaitSettled(bot);
        assertThat(agent.all()).isEmpty();

        HttpResponse<String> response = click("containment_approve", runId, APPROVER);

        assertThat(response.statusCode()).isEqualTo(200);
        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
        awaitState(bot, runId, "SUCCEEDED");
        assertThat(bot.string("select decided_by from containment_run where id = ?", runId))
                .isEqualTo(APPROVER);
        Runs.await(
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks").contains("Approved by")),
                "the approval request to show the approval");
        assertThat(Runs.kinds(bot, key))
                .containsSubsequence(
                        "containment_requested",
                        "containment_approved",
                        "containment_call",
                        "containment_succeeded",
                        "phase_changed");
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequest() {
        start();
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        String runId = askForApproval(key);

        click("containment_approve", runId, TestBot.USER);

        Map<String, String> refusal =
                bot.slack().awaitCalls("chat.postEphemeral", 1).get(0);
        assertThat(refusal.get("user")).isEqualTo(TestBot.USER);
        assertThat(refusal.get("channel")).isEqualTo(TestBot.CHANNEL);
        assertThat(refusal.get("text"))
                .isEqualTo(":no_entry_sign: You asked for Pause workflow, so someone else must approve it.");
        JobQueue.awaitSettled(bot);
        assertThat(Runs.state(bot, runId)).isEqualTo("PENDING_APPROVAL");
        assertThat(agent.all()).isEmpty();
        assertThat(Runs.kinds(bot, key)).doesNotContain("containment_approved");
    }

    @Test
    void onlyApproversMayApprove() {
        start("FIREBREAK_APPROVERS", APPROVER);
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        String runId = askForApproval(key);

        click("containment_approve", runId, OTHER);

        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("Only approvers can approve containment.");
        JobQueue.awaitSettled(bot);
        assertThat(Runs.state(bot, runId)).isEqualTo("PENDING_APPROVAL");
        assertThat(agent.all()).isEmpty();
    }

    @Test
    void anExpiredApprovalRequestCannotBeUsed() {
        // Approvers are named: with none, nobody but the responders approves (fail closed), and OTHER is not one.
        start("FIREBREAK_APPROVAL_TTL", "PT1S", "FIREBREAK_APPROVERS", OTHER);
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        String runId = askForApproval(key);

        awaitState(bot, runId, "EXPIRED");
        click("containment_approve", runId, OTHER);

        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("Pause workflow (" + runId
                        + ") is no longer waiting for approval: nobody approved it in time.");
        JobQueue.awaitSettled(bot);
        assertThat(agent.all()).isEmpty();
        assertThat(Runs.kinds(bot, key))
                .contains("containment_approval_expired")
                .doesNotContain("containment_approved");
        Runs.await(
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks").contains("nobody approved it")),
                "the approval request to show it expired");
        assertThat(bot.slack().calls("chat.update").stream()
                        .filter(u -> u.get("blocks").contains("nobody approved it"))
                        .findFirst()
                        .orElseThrow()
                        .get("blocks"))
                .doesNotContain("containment_approve");
    }

    @Test
    void aClickJustAfterExpiryIsRefusedEvenBeforeTheExpiryJobRan() {
        start("FIREBREAK_APPROVAL_TTL", "PT1S", "FIREBREAK_RUN_JOBS", "false", "FIREBREAK_APPROVERS", OTHER);
        String key = "INC-1";
        bot.command("open medium Refund agent sent wrong refunds");
        bot.command("contain " + key + " pause-workflow workflow=refund-agent -- refunds going out twice");
        String runId = latestRunId(bot);
        Instant expires = bot.db()
                .withHandle(h -> h.select("select approval_expires_at from containment_run where id = ?", runId)
                        .mapTo(Instant.class)
                        .one());
        Await.until("the approval request to expire", () -> Instant.now().isAfter(expires));

        click("containment_approve", runId, OTHER);

        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("This approval request for Pause workflow expired at")
                .contains("can no longer be approved");
        assertThat(Runs.state(bot, runId)).isEqualTo("EXPIRED");
        assertThat(bot.count("select count(*) from scheduled_tasks where task_name = 'containment-action'"))
                .isZero();
    }

    @Test
    void aDenialStopsItAndTheRequesterMayWithdraw() {
        start("FIREBREAK_APPROVERS", APPROVER);
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        String denied = askForApproval(key);

        click("containment_deny", denied, APPROVER);

        awaitState(bot, denied, "DENIED");
        Runs.await(
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks").contains("Denied by")),
                "the approval request to show the denial");
        String withdrawn = bot.text(bot.command("contain " + key + " pause-workflow workflow=refund-agent -- again"));
        assertThat(withdrawn).contains("an approver must agree");
        String second = latestRunId(bot);
        click("containment_deny", second, TestBot.USER);
        awaitState(bot, second, "DENIED");
        JobQueue.awaitSettled(bot);
        assertThat(agent.all()).isEmpty();
        assertThat(Runs.kinds(bot, key))
                .filteredOn(k -> k.equals("containment_denied"))
                .hasSize(2);
    }
}
