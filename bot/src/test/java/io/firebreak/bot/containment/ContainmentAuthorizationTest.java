package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ways an ordinary workspace member, or one responder alone, took control of containment before there was one
 * authorization policy: each is a signed Slack request that must now be refused with nothing written and nothing sent
 * to the agent control API.
 */
class ContainmentAuthorizationTest {
    private static final String PAUSE = "/workflows/refund-agent/pause";
    private static final String RESUME = "/workflows/refund-agent/resume";
    private static final String MEMBER = "U0MEMBER01";
    private static final String APPROVER = "U0APPROVE1";
    private static final String FORM = "application/x-www-form-urlencoded";

    private AgentControlStub agent;
    private TestBot bot;

    private void start() {
        agent = new AgentControlStub();
        bot = TestBot.start(agent.env("FIREBREAK_APPROVERS", APPROVER));
        Runs.stubSlack(bot);
    }

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private String contain(String key, String user) {
        return bot.text(bot.command(
                "contain " + key + " pause-workflow workflow=refund-agent -- refunds going out twice",
                user,
                TestBot.CHANNEL));
    }

    @Test
    void aMemberWhoOpenedACriticalIncidentCannotFireContainment() {
        start();
        assertThat(bot.text(bot.command("open critical Refund agent sent wrong refunds", MEMBER, TestBot.CHANNEL)))
                .contains("Opened");

        String answer = contain("INC-1", MEMBER);

        assertThat(answer)
                .contains("Only responders can fire containment.")
                .contains("add you to FIREBREAK_RESPONDERS")
                .contains("<@" + TestBot.USER + ">");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();
        assertThat(bot.count("select count(*) from containment_run")).isZero();
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
        assertThat(Runs.kinds(bot, "INC-1")).containsExactly("opened");
    }

    @Test
    void theContainModalSubmittedByAMemberIsRefusedOnTheIncidentItNames() {
        start();
        Runs.open(bot, "critical", "Refund agent sent wrong refunds");
        String metadata = "{\"incident\":\"INC-1\",\"action\":\"pause-workflow\"}";

        HttpResponse<String> response = bot.postSigned(
                Interactions.viewSubmission(
                        "containment_fire",
                        "V0FORGED01",
                        metadata,
                        MEMBER,
                        Map.of(
                                "param_workflow",
                                Interactions.text("refund-agent"),
                                "reason",
                                Interactions.text("I can do this"))),
                FORM);

        JsonNode answer = bot.json(response);
        assertThat(answer.path("response_action").asText()).isEqualTo("update");
        assertThat(answer.path("view").toString()).contains("Only responders can fire containment.");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();
        assertThat(bot.count("select count(*) from containment_run")).isZero();
    }

    @Test
    void aMemberCannotUndoAResponderContainmentByCommandOrButton() {
        start();
        String key = Runs.open(bot, "critical", "Refund agent sent wrong refunds");
        assertThat(contain(key, TestBot.USER)).contains("now");
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");

        String byCommand =
                bot.text(bot.command("undo " + key + " " + runId + " -- looks fine to me", MEMBER, TestBot.CHANNEL));
        HttpResponse<String> byButton = bot.postSigned(
                Interactions.buttonClick("containment_undo", runId, MEMBER, TestBot.CHANNEL, "1503435956.000247"),
                FORM);

        assertThat(byCommand).contains("Only responders can undo containment.");
        assertThat(byButton.statusCode()).isEqualTo(200);
        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("Only responders can undo containment.");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, RESUME)).isEmpty();
        assertThat(bot.slack().calls("views.open")).isEmpty();
        assertThat(Runs.state(bot, runId)).isEqualTo("SUCCEEDED");
        assertThat(Runs.kinds(bot, key)).doesNotContain("containment_undo_requested");
    }

    @Test
    void aSeverityChosenByAMemberIsUnconfirmedUntilAResponderConfirmsIt() {
        start();
        assertThat(bot.text(bot.command("open critical Refund agent sent wrong refunds", MEMBER, TestBot.CHANNEL)))
                .contains("Opened");
        Runs.await(
                () -> bot.count("select count(*) from incident where id = 1 and card_ts is not null") == 1, "the card");

        String unconfirmed = contain("INC-1", TestBot.USER);

        assertThat(unconfirmed).contains("an approver must agree");
        String waiting = latestRunId(bot);
        assertThat(Runs.state(bot, waiting)).isEqualTo("PENDING_APPROVAL");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();

        assertThat(bot.text(bot.command(
                        "sev INC-1 critical confirmed: refunds are still going out", "U0RESPOND2", TestBot.CHANNEL)))
                .contains("confirmed as *critical*");
        bot.postSigned(
                SlackPayloads.button(
                        "containment_deny", waiting, TestBot.USER, bot.slack().responseUrl("withdraw")),
                FORM);
        awaitState(bot, waiting, "DENIED");
        // The responder who asked did not set the severity: a second person (U0RESPOND2) vouched for it.
        assertThat(bot.text(bot.command(
                        "contain INC-1 pause-workflow workflow=refund-agent -- now confirmed",
                        TestBot.USER,
                        TestBot.CHANNEL)))
                .contains("now");
        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
    }

    @Test
    void theCardTheListAndTheFormSayAnUnconfirmedSeverityNeedsAnApprover() {
        start();
        assertThat(bot.text(bot.command("open critical Refund agent sent wrong refunds", MEMBER, TestBot.CHANNEL)))
                .contains("Opened");
        Runs.await(
                () -> bot.count("select count(*) from incident where id = 1 and card_ts is not null") == 1, "the card");

        String list = bot.text(bot.command("contain INC-1"));

        assertThat(list)
                .contains("severity critical, not confirmed by a responder")
                .contains("Pause workflow")
                .doesNotContain("runs at once");
        assertThat(bot.slack().calls("chat.postMessage").get(0).get("blocks"))
                .contains("The severity is not confirmed by a responder");

        bot.command("sev INC-1 critical confirmed", "U0RESPOND2", TestBot.CHANNEL);

        assertThat(bot.text(bot.command("contain INC-1")))
                .contains("runs at once")
                .doesNotContain("not confirmed");
        Runs.await(
                () -> bot.slack().calls("chat.update").stream()
                                .map(u -> u.getOrDefault("blocks", ""))
                                .reduce((a, b) -> b)
                                .orElse("")
                                .contains("Containment")
                        && !bot.slack().calls("chat.update").stream()
                                .map(u -> u.getOrDefault("blocks", ""))
                                .reduce((a, b) -> b)
                                .orElse("")
                                .contains("not confirmed"),
                "the card to drop the warning");
    }

    @Test
    void theReportersFirstAssessmentGrantsNoPreApproval() {
        start();
        assertThat(bot.text(bot.command("open Refund agent sent wrong refunds", MEMBER, TestBot.CHANNEL)))
                .contains("Opened");
        assertThat(bot.text(bot.command("sev INC-1 critical I think it is bad", MEMBER, TestBot.CHANNEL)))
                .contains("Only responders can change the severity.");

        // Irreversible actions were taken: the form derives critical.
        bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        "INC-1",
                        MEMBER,
                        SlackPayloads.assessment(false, "ONE_USER", new String[] {}, true, true, Map.of())),
                FORM);
        Runs.await(
                () -> "CRITICAL".equals(bot.string("select coalesce(severity, '') from incident where id = 1")),
                "the assessment");

        assertThat(contain("INC-1", TestBot.USER)).contains("an approver must agree");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();
    }

    @Test
    void raisingTheSeverityWithdrawingAndFiringAgainStillNeedsASecondPerson() {
        start();
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        assertThat(contain(key, TestBot.USER)).contains("an approver must agree");
        String first = latestRunId(bot);

        assertThat(bot.text(bot.command("sev " + key + " high it is worse than it looked")))
                .contains("to *high*");
        bot.postSigned(
                SlackPayloads.button(
                        "containment_deny", first, TestBot.USER, bot.slack().responseUrl("withdraw")),
                FORM);
        awaitState(bot, first, "DENIED");
        String again = contain(key, TestBot.USER);

        assertThat(again).contains("an approver must agree");
        String second = latestRunId(bot);
        assertThat(second).isNotEqualTo(first);
        assertThat(Runs.state(bot, second)).isEqualTo("PENDING_APPROVAL");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();

        // The second person closes it: the approver's click fires it.
        Runs.await(
                () -> bot.count("select count(*) from containment_run where id = ? and approval_ts is not null", second)
                        == 1,
                "the approval request to be posted");
        bot.postSigned(
                SlackPayloads.button(
                        "containment_approve", second, APPROVER, bot.slack().responseUrl("approve")),
                FORM);
        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
    }

    @Test
    void anotherResponderRaisingTheSeverityLetsTheRequesterFireAlone() {
        start();
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        assertThat(contain(key, TestBot.USER)).contains("an approver must agree");
        String first = latestRunId(bot);
        bot.postSigned(
                SlackPayloads.button(
                        "containment_deny", first, TestBot.USER, bot.slack().responseUrl("withdraw")),
                FORM);
        awaitState(bot, first, "DENIED");

        assertThat(bot.text(bot.command(
                        "sev " + key + " high refunds to the wrong customers", "U0RESPOND2", TestBot.CHANNEL)))
                .contains("to *high*");

        assertThat(contain(key, TestBot.USER)).contains("now");
        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
    }
}
