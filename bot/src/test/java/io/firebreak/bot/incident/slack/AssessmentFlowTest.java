package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The impact assessment form: opened from commands, the card and the shortcut; its answers set the severity. */
class AssessmentFlowTest {
    static final String FORM = "application/x-www-form-urlencoded";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private String submitAssessment(
            String metadata,
            String user,
            boolean caught,
            String breadth,
            String[] exposures,
            boolean irreversible,
            boolean correctable,
            Map<String, ObjectNode> extra) {
        HttpResponse<String> response = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        metadata,
                        user,
                        SlackPayloads.assessment(caught, breadth, exposures, irreversible, correctable, extra)),
                FORM);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void openWithoutSeverityOpensTheFormWhoseAnswersSetTheSeverity() {
        String answer = bot.text(bot.command("open Refund agent sent wrong refunds"));

        assertThat(answer).contains("INC-1").contains("Assess its impact in the form that just opened");
        Map<String, String> open = bot.slack().awaitCalls("views.open", 1).get(0);
        assertThat(open.get("trigger_id")).isEqualTo("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
        JsonNode view = bot.slack().json(open.get("view"));
        assertThat(view.path("callback_id").asText()).isEqualTo("incident_assessment");
        assertThat(view.path("private_metadata").asText()).isEqualTo("INC-1");
        assertThat(view.toString())
                .contains("Was it caught before any user saw it?")
                .contains("How broad is the impact?")
                .contains("Were irreversible actions taken?")
                .contains("Is there a clear correction path?")
                .contains("Privacy");

        String body = submitAssessment(
                "INC-1", TestBot.USER, false, "LIMITED", new String[] {"FINANCIAL"}, true, true, Map.of());

        assertThat(body).isEmpty();
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("CRITICAL");
        assertThat(bot.string("select severity_reason from incident where id = 1"))
                .isEqualTo("assessed: irreversible actions were taken");
        String answers = bot.string("select answers::text from assessment where incident_id = 1");
        assertThat(answers)
                .contains("\"breadth\": \"LIMITED\"")
                .contains("\"exposures\": [\"FINANCIAL\"]")
                .contains("\"irreversible_actions\": true");
        String event = bot.string("select details::text from timeline_event where kind = 'assessed'");
        assertThat(event)
                .contains("\"to\":\"CRITICAL\"")
                .contains("\"reason\":\"irreversible actions were taken\"")
                .contains("\"answers\"");
        assertThat(bot.slack().awaitCalls("chat.update", 1).get(0).get("blocks"))
                .contains("critical")
                .contains("assessed: irreversible actions were taken");
    }

    @Test
    void reassessmentKeepsEveryAssessment() {
        bot.command("open low Typo in an answer");
        submitAssessment("INC-1", TestBot.USER, true, "ONE_USER", new String[] {}, false, true, Map.of());
        submitAssessment(
                "INC-1", TestBot.USER, false, "BROAD_ONGOING", new String[] {"PRIVACY"}, false, false, Map.of());

        assertThat(bot.count("select count(*) from assessment where incident_id = 1"))
                .isEqualTo(2);
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("CRITICAL");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'assessed'"))
                .isEqualTo(2);
    }

    @Test
    void unansweredQuestionsAreShownNextToTheQuestionAndNothingIsStored() {
        bot.command("open high Refund agent sent wrong refunds");
        ObjectNode values = SlackPayloads.assessment(false, "LIMITED", new String[] {}, false, true, Map.of());
        values.remove("caught");

        JsonNode response = bot.json(bot.postSigned(
                SlackPayloads.viewSubmission("incident_assessment", "INC-1", TestBot.USER, values), FORM));

        assertThat(response.path("response_action").asText()).isEqualTo("errors");
        assertThat(response.path("errors").path("caught").asText()).isEqualTo("Answer yes or no.");
        assertThat(bot.count("select count(*) from assessment")).isZero();
    }

    @Test
    void assessCommandAndCardButtonOpenTheForm() {
        bot.command("open high Refund agent sent wrong refunds");
        bot.command("assess INC-1");
        bot.postSigned(
                SlackPayloads.button(
                        "incident_assess", "INC-1", TestBot.USER, bot.slack().responseUrl("assess")),
                FORM);

        var opens = bot.slack().awaitCalls("views.open", 2);
        assertThat(opens)
                .allSatisfy(o -> assertThat(bot.slack()
                                .json(o.get("view"))
                                .path("private_metadata")
                                .asText())
                        .isEqualTo("INC-1"));
        assertThat(bot.text(bot.command("assess INC-404"))).contains("There is no incident INC-404");
    }

    @Test
    void anExpiredTriggerIsToldToThePerson() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/views.open").willReturn(okJson("{\"ok\":false,\"error\":\"expired_trigger_id\"}")));
        bot.command("open high Refund agent sent wrong refunds");

        bot.postSigned(
                SlackPayloads.button(
                        "incident_assess", "INC-1", TestBot.USER, bot.slack().responseUrl("late")),
                FORM);

        assertThat(bot.slack().awaitResponseTexts("late", 1).get(0)).contains("expired_trigger_id");
    }

    @Test
    void theReportShortcutOpensANewIncidentFromTheForm() {
        HttpResponse<String> shortcut = bot.postSigned(
                SlackPayloads.globalShortcut("report_agent_incident", "U0REPORTER", "123.123.123"), FORM);
        assertThat(shortcut.statusCode()).isEqualTo(200);
        JsonNode view =
                bot.slack().json(bot.slack().awaitCalls("views.open", 1).get(0).get("view"));
        assertThat(view.path("private_metadata").asText()).isEqualTo("new");
        assertThat(view.toString()).contains("What went wrong?");

        ObjectNode channel = new ObjectMapper().createObjectNode();
        channel.putObject("channel").put("type", "conversations_select").put("selected_conversation", "C0SUPPORT1");
        // block "channel" → action "channel" → the selection
        submitAssessment(
                "new",
                "U0REPORTER",
                false,
                "ONE_USER",
                new String[] {"LEGAL"},
                false,
                true,
                Map.of(
                        "title", SlackPayloads.text("title", "Agent missed a legal escalation"),
                        "description",
                                SlackPayloads.text("description", "Customer asked for a lawyer; agent kept answering."),
                        "channel", channel));

        assertThat(bot.string("select title from incident where id = 1")).isEqualTo("Agent missed a legal escalation");
        assertThat(bot.string("select source from incident where id = 1")).isEqualTo("shortcut");
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("HIGH");
        assertThat(bot.string("select reporter from incident where id = 1")).isEqualTo("U0REPORTER");
        assertThat(bot.string("select details->>'text' from timeline_event where kind = 'note'"))
                .contains("asked for a lawyer");
        assertThat(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("channel"))
                .isEqualTo("C0SUPPORT1");
    }

    @Test
    void aReportWithoutATitleIsRefusedInTheForm() {
        JsonNode response = bot.json(bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        "new",
                        "U0REPORTER",
                        SlackPayloads.assessment(false, "ONE_USER", new String[] {}, false, true, Map.of())),
                FORM));

        assertThat(response.path("errors").path("title").asText()).contains("what went wrong");
        assertThat(bot.count("select count(*) from incident")).isZero();
    }
}
