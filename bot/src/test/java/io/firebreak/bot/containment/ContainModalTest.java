package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static io.firebreak.bot.testing.Interactions.option;
import static io.firebreak.bot.testing.Interactions.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The card's "Contain…" button, its two-step modal, and the Undo button's modal, driven by Slack's own payloads. */
class ContainModalTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String PAUSE = "/workflows/refund-agent/pause";

    AgentControlStub agent;
    TestBot bot;
    String key;

    @BeforeEach
    void start() {
        agent = new AgentControlStub();
        bot = TestBot.start(agent.env());
        Runs.stubSlack(bot);
        key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
    }

    @AfterEach
    void stop() {
        bot.close();
        agent.close();
    }

    private JsonNode submit(String callbackId, String viewId, String metadata, Map<String, JsonNode> values) {
        HttpResponse<String> response =
                bot.postSigned(Interactions.viewSubmission(callbackId, viewId, metadata, TestBot.USER, values), FORM);
        assertThat(response.statusCode()).isEqualTo(200);
        return bot.json(response);
    }

    private String fireMetadata() {
        return "{\"incident\":\"" + key + "\",\"action\":\"pause-workflow\"}";
    }

    @Test
    void theContainButtonOpensThePickerWithTheTriggerId() {
        String click =
                Interactions.buttonClick("incident_contain", key, TestBot.USER, TestBot.CHANNEL, "1503435956.000247");

        HttpResponse<String> response = bot.postSigned(click, FORM);

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> open = bot.slack().awaitCalls("views.open", 1).get(0);
        assertThat(open.get("trigger_id")).isEqualTo(Interactions.triggerId(click));
        JsonNode view = bot.slack().json(open.get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo("containment_pick");
        assertThat(view.path("private_metadata").asText()).isEqualTo(key);
        assertThat(view.path("title").path("text").asText()).isEqualTo("Contain " + key);
        JsonNode options = view.path("blocks").get(1).path("element").path("options");
        assertThat(options).hasSize(5);
        assertThat(options.get(0).path("value").asText()).isEqualTo("pause-workflow");
        assertThat(options.get(0).path("description").path("text").asText())
                .isEqualTo("runs at once (pre-approved at high and above)");
    }

    @Test
    void pickingAnActionShowsItsParametersAndFiringItCallsOnceEvenOnADoubleSubmit() {
        JsonNode next = submit("containment_pick", "V0PICK01", key, Map.of("action", option("pause-workflow")));

        assertThat(next.path("response_action").asText()).isEqualTo("update");
        JsonNode form = next.path("view");
        assertThat(form.path("callback_id").asText()).isEqualTo("containment_fire");
        assertThat(form.path("submit").path("text").asText()).isEqualTo("Contain now");
        assertThat(form.path("blocks").findValuesAsText("block_id")).containsExactly("param_workflow", "reason");
        assertThat(form.path("blocks").get(0).path("text").path("text").asText())
                .contains("Runs at once: pre-approved at high and above.");
        Map<String, JsonNode> values =
                Map.of("param_workflow", text("refund-agent"), "reason", text("refunds to the wrong customers"));

        JsonNode fired = submit(
                "containment_fire", "V0PICK01", form.path("private_metadata").asText(), values);

        assertThat(fired.path("response_action").asText()).isEqualTo("update");
        assertThat(fired.path("view")
                        .path("blocks")
                        .get(0)
                        .path("text")
                        .path("text")
                        .asText())
                .contains("Firing *Pause workflow* `workflow=refund-agent` on " + key + " now");
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");
        assertThat(agent.awaitCalls(RequestMethod.POST, PAUSE, 1).get(0).getBodyAsString())
                .contains("refunds to the wrong customers");

        JsonNode again = submit("containment_fire", "V0PICK01", fireMetadata(), values);

        assertThat(again.path("view")
                        .path("blocks")
                        .get(0)
                        .path("text")
                        .path("text")
                        .asText())
                .contains("This request was already received: *Pause workflow* is succeeded (run `" + runId + "`)");
        JobQueue.awaitSettled(bot);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
        assertThat(bot.count("select count(*) from containment_run")).isEqualTo(1);
    }

    @Test
    void aBadParameterIsShownOnItsFieldAndNothingIsWritten() {
        JsonNode answer = submit(
                "containment_fire",
                "V0BAD001",
                fireMetadata(),
                Map.of("param_workflow", text("refund agent; drop table"), "reason", text("stop it")));

        assertThat(answer.path("response_action").asText()).isEqualTo("errors");
        assertThat(answer.path("errors").path("param_workflow").asText()).startsWith("workflow must match");
        assertThat(bot.count("select count(*) from containment_run")).isZero();
        assertThat(Runs.kinds(bot, key)).containsExactly("opened");
    }

    @Test
    void anActionAlreadyInEffectIsShownOnTheReason() {
        bot.command("contain " + key + " pause-workflow workflow=refund-agent");
        awaitState(bot, latestRunId(bot), "SUCCEEDED");

        JsonNode answer = submit(
                "containment_fire",
                "V0TWICE1",
                fireMetadata(),
                Map.of("param_workflow", text("refund-agent"), "reason", text("again")));

        assertThat(answer.path("response_action").asText()).isEqualTo("errors");
        assertThat(answer.path("errors").path("reason").asText()).contains("is already in effect on " + key);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
    }

    @Test
    void theUndoButtonAsksForAReasonThenUndoes() {
        bot.command("contain " + key + " pause-workflow workflow=refund-agent");
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");

        bot.postSigned(
                Interactions.buttonClick("containment_undo", runId, "U0RESPOND2", TestBot.CHANNEL, "1503435956.000300"),
                FORM);

        JsonNode view =
                bot.slack().json(bot.slack().awaitCalls("views.open", 1).get(0).get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo("containment_undo_reason");
        assertThat(view.path("private_metadata").asText()).isEqualTo(runId);

        HttpResponse<String> response = bot.postSigned(
                Interactions.viewSubmission(
                        "containment_undo_reason",
                        "V0UNDO01",
                        runId,
                        "U0RESPOND2",
                        Map.of("reason", text("v42 is fixed"))),
                FORM);

        assertThat(bot.json(response)
                        .path("view")
                        .path("blocks")
                        .get(0)
                        .path("text")
                        .path("text")
                        .asText())
                .contains("Undoing *Pause workflow*");
        awaitState(bot, runId, "UNDONE");
        assertThat(agent.calls(RequestMethod.POST, "/workflows/refund-agent/resume"))
                .hasSize(1);
        assertThat(bot.string("select undo_requested_by from containment_run where id = ?", runId))
                .isEqualTo("U0RESPOND2");

        bot.postSigned(
                Interactions.buttonClick("containment_undo", runId, "U0RESPOND2", TestBot.CHANNEL, "1503435956.000300"),
                FORM);

        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("cannot be undone: it was already undone by <@U0RESPOND2>");
        assertThat(bot.slack().calls("views.open")).hasSize(1);
    }

    @Test
    void theContainButtonOfAnUnknownIncidentSaysSo() {
        bot.postSigned(
                Interactions.buttonClick(
                        "incident_contain", "INC-404", TestBot.USER, TestBot.CHANNEL, "1503435956.000247"),
                FORM);

        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("That incident no longer exists.");
        assertThat(bot.slack().calls("views.open")).isEmpty();
    }
}
