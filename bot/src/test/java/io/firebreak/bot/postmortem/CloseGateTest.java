package io.firebreak.bot.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Corrections move the incident; closing is refused until the checklist is complete, on every path. */
class CloseGateTest {
    static final String FORM = "application/x-www-form-urlencoded";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private HttpResponse<String> correction(String what, String version, String result, String rollout) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode values = mapper.createObjectNode();
        values.putObject("what")
                .putObject("what")
                .put("type", "static_select")
                .putObject("selected_option")
                .put("value", what);
        values.set("version", SlackPayloads.text("version", version));
        values.set("eval_name", SlackPayloads.text("eval_name", "refund-suite"));
        values.set("eval_link", SlackPayloads.text("eval_link", "https://ci.example.com/evals/812"));
        values.putObject("result")
                .putObject("result")
                .put("type", "radio_buttons")
                .putObject("selected_option")
                .put("value", result);
        values.putObject("rollout")
                .putObject("rollout")
                .put("type", "radio_buttons")
                .putObject("selected_option")
                .put("value", rollout);
        return bot.postSigned(SlackPayloads.viewSubmission("incident_correction", "INC-1", TestBot.USER, values), FORM);
    }

    @Test
    void aCorrectionMovesToCorrectingAndAVerifiedCompleteRolloutResolves() {
        bot.command("correct INC-1");
        assertThat(bot.slack()
                        .json(bot.slack()
                                .awaitCall("views.open", c -> c.get("view").contains("incident_correction"))
                                .get("view"))
                        .path("private_metadata")
                        .asText())
                .isEqualTo("INC-1");

        assertThat(correction("PROMPT", "refund-prompt v43", "NOT_RUN", "IN_PROGRESS")
                        .body())
                .isEmpty();
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("CORRECTING");

        correction("PROMPT", "refund-prompt v43", "PASSED", "COMPLETE");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("RESOLVED");
        assertThat(bot.count("select count(*) from correction where incident_id = 1"))
                .isEqualTo(2);
        assertThat(
                        bot.string(
                                "select details::text from timeline_event where kind = 'correction_recorded' order by seq desc limit 1"))
                .contains("\"new_version\":\"refund-prompt v43\"")
                .contains("\"result\":\"PASSED\"")
                .contains("\"rollout\":\"COMPLETE\"");
        var api = bot.json(bot.api("/api/incidents/INC-1"));
        assertThat(api.path("corrections")).hasSize(2);
        assertThat(api.path("corrections")
                        .get(1)
                        .path("evaluation")
                        .path("link")
                        .asText())
                .isEqualTo("https://ci.example.com/evals/812");
    }

    @Test
    void anIncompleteCorrectionFormIsRefusedInTheForm() {
        var response = bot.json(correction("PROMPT", "", "PASSED", "COMPLETE"));

        assertThat(response.path("response_action").asText()).isEqualTo("errors");
        assertThat(response.path("errors").path("version").asText()).contains("new version");
        assertThat(bot.count("select count(*) from correction")).isZero();
    }

    @Test
    void closeIsRefusedWithTheChecklistOfWhatIsMissingOnEveryPath() {
        String notResolved = bot.text(bot.command("close INC-1"));
        assertThat(notResolved)
                .contains("INC-1 cannot close yet. Still missing:")
                .contains(":x: Resolved — it is detected; resolve it first")
                .contains(":x: A regression case")
                .contains(":x: An owner")
                .contains(":x: A verification check");

        bot.command("status INC-1 resolved");
        String close = bot.text(bot.command("close INC-1"));
        String status = bot.text(bot.command("status INC-1 closed"));

        for (String refusal : new String[] {close, status}) {
            assertThat(refusal)
                    .contains("INC-1 cannot close yet. Still missing:")
                    .contains(":x: A regression case")
                    .contains(":x: An owner")
                    .contains(":x: A verification check")
                    .contains(":x: A failure point named")
                    .doesNotContain(":x: Resolved")
                    .doesNotContain(":x: Containment");
        }
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("RESOLVED");
        String card = bot.slack()
                .awaitCall("chat.update", c -> c.get("blocks").contains("Before closing"))
                .get("blocks");
        assertThat(card)
                .contains("Before closing")
                .contains("A regression case")
                .contains("An owner");
    }

    @Test
    void ownersAndChecksAreRecordedAndARegressionCaseNeedsARunWithEvidence() {
        String owner = bot.text(bot.command("followup INC-1 owner <@U024BE7LH|bob>"));
        String check =
                bot.text(bot.command("followup INC-1 verification refund-suite runs on every prompt change in CI"));
        String regression = bot.text(bot.command("followup INC-1 regression refuses refunds above the order total"));
        String unknown = bot.text(bot.command("followup INC-1 ticket JIRA-12"));
        String noOwner = bot.text(bot.command("followup INC-1 owner someone"));

        assertThat(owner).contains("<@U024BE7LH> owns the fix");
        assertThat(check).contains("Verification check FU-2");
        assertThat(regression).contains("built from a failing run").contains("attach one");
        assertThat(unknown).contains("`ticket` is not a kind of follow-up");
        assertThat(noOwner).contains("names who owns the fix");
        assertThat(bot.count("select count(*) from follow_up")).isEqualTo(2);
        var followUps = bot.json(bot.api("/api/incidents/INC-1")).path("follow_ups");
        assertThat(followUps.get(0).path("kind").asText()).isEqualTo("OWNER");
        assertThat(followUps.get(0).path("owner").asText()).isEqualTo("U024BE7LH");
        assertThat(followUps.get(1).path("text").asText()).isEqualTo("refund-suite runs on every prompt change in CI");
    }

    @Test
    void reopeningNeedsAReason() {
        assertThat(bot.text(bot.command("reopen INC-1"))).contains("Reopening needs a reason");
    }

    @Test
    void thePostmortemAndExportsAreServedAndBadSinceIs400() {
        bot.command("sev INC-1 critical refunds still going out");
        bot.command("note INC-1 paused | the refunds workflow");

        HttpResponse<String> md = bot.api("/api/incidents/INC-1/postmortem.md");
        HttpResponse<String> jsonl = bot.api("/api/regression-cases.jsonl?since=2026-01-01");
        HttpResponse<String> badSince = bot.api("/api/regression-cases.jsonl?since=last-week");
        HttpResponse<String> unknown = bot.api("/api/incidents/INC-1/nothing-here");

        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(md.body())
                .startsWith("# INC-1: Refund agent sent wrong refunds")
                .contains("Timeline integrity: verified, 3 events")
                .contains("overridden from HIGH to CRITICAL")
                .contains("paused \\| the refunds workflow")
                .contains("## Timeline (UTC)");
        assertThat(jsonl.statusCode()).isEqualTo(200);
        assertThat(jsonl.body()).isEmpty();
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(bot.api("/api/incidents/INC-9/postmortem.md").statusCode()).isEqualTo(404);
        assertThat(bot.get("/api/incidents/INC-1/postmortem.md", java.util.Optional.empty())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void postmortemCommandPostsTheFileToTheIncidentChannel() {
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");

        assertThat(bot.text(bot.command("postmortem INC-1"))).contains("Writing the postmortem of INC-1");

        Map<String, String> url =
                bot.slack().awaitCalls("files.getUploadURLExternal", 1).get(0);
        assertThat(url.get("filename")).isEqualTo("inc-1-postmortem.md");
        Map<String, String> complete =
                bot.slack().awaitCalls("files.completeUploadExternal", 1).get(0);
        assertThat(complete.get("channel_id")).isEqualTo(bot.string("select card_channel from incident where id = 1"));
        assertThat(complete.get("initial_comment")).contains("Postmortem of *INC-1*");
        String uploaded = bot.slack()
                .wiremock()
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/upload/F0POSTMORTEM")))
                .get(0)
                .getBodyAsString();
        assertThat(uploaded).startsWith("# INC-1: Refund agent sent wrong refunds");
        bot.awaitCount(1, "select count(*) from timeline_event where kind = 'postmortem_posted'");
    }
}
