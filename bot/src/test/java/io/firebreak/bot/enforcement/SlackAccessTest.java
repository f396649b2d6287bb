package io.firebreak.bot.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.slack.LifecycleCommands;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Slack side of the authorization policy on signed requests: people from another workspace, forged incident
 * references, report text that looks like a Slack user, raw text in the card's fallback, and the start-up line.
 */
class SlackAccessTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MEMBER = "U0MEMBER01";
    /** The workspace of Slack's documented slash-command body, and of the captured button payload. */
    private static final String HOME = "T1DC2JH3J";

    private static final String BUTTONS_HOME = "T111";

    private TestBot bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
    }

    @Test
    void someoneFromAnotherWorkspaceIsRefusedAndNothingIsStored() {
        bot = TestBot.start(Map.of("FIREBREAK_TEAM_ID", HOME + "," + BUTTONS_HOME));
        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("Opened");

        String guestBody = Fixtures.slashCommand(
                        "/incident", "note INC-1 resume the workflow, it is fine", TestBot.USER, TestBot.CHANNEL)
                .replace("team_id=" + HOME, "team_id=T0GUEST001");
        String answer = bot.text(bot.postSigned(guestBody, FORM));
        // A shared channel: the button is in the home workspace, the person clicking it is not.
        bot.postSigned(buttonFromGuest(LifecycleCommands.RESOLVE_BUTTON, "INC-1"), FORM);

        assertThat(answer)
                .contains("from another workspace (a Slack Connect channel)")
                .contains("Ask someone from the workspace");
        assertThat(bot.slack().awaitCalls("chat.postEphemeral", 1).get(0).get("text"))
                .contains("another workspace");
        SlackApiStub.sleep(300);
        assertThat(bot.count("select count(*) from timeline_event where incident_id = 1"))
                .isEqualTo(1);
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
    }

    @Test
    void aModalNamingAnotherIncidentIsDecidedOnTheIncidentItNames() {
        bot = TestBot.start();
        assertThat(bot.text(bot.command("open Wrong store hours", MEMBER, TestBot.CHANNEL)))
                .contains("INC-1");
        assertThat(bot.text(bot.command("open Refund agent sent wrong refunds")))
                .contains("INC-2");

        // The member reported INC-1 and may give its first assessment, but not INC-2's, whatever the form says.
        HttpResponse<String> forged = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        "INC-2",
                        MEMBER,
                        SlackPayloads.assessment(false, "BROAD_ONGOING", new String[] {}, true, false, Map.of())),
                FORM);
        HttpResponse<String> own = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        "INC-1",
                        MEMBER,
                        SlackPayloads.assessment(true, "ONE_USER", new String[] {}, false, true, Map.of())),
                FORM);

        assertThat(bot.json(forged).path("view").toString())
                .contains("Only the reporter (the first assessment only) or responders");
        assertThat(bot.count("select count(*) from incident where id = 2 and severity is null"))
                .isEqualTo(1);
        assertThat(bot.count("select count(*) from assessment where incident_id = 2"))
                .isZero();
        assertThat(own.body()).isEmpty();
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("LOW");
    }

    @Test
    void aReportWhoseReporterLooksLikeASlackUserMentionsInvitesAndEmpowersNobody() {
        bot = TestBot.start(Map.of(
                "FIREBREAK_INTAKE_SECRET",
                TestBot.INTAKE_SECRET,
                "FIREBREAK_TRIAGE_CHANNEL",
                "C0TRIAGE01",
                "FIREBREAK_INCIDENT_CHANNELS",
                "true"));

        assertThat(bot.report(
                                "{\"description\": \"The agent promised a refund it cannot give\", \"reporter\": \"U0CEO\","
                                        + " \"form\": \"support-widget\"}")
                        .statusCode())
                .isEqualTo(202);

        Await.until(
                "the report's notice in the incident's thread",
                () -> bot.slack().calls("chat.postMessage").stream()
                        .anyMatch(p -> p.toString().contains("User report RPT-1")));
        List<Map<String, String>> posts = bot.slack().calls("chat.postMessage");
        assertThat(posts).allSatisfy(p -> assertThat(p.toString()).doesNotContain("<@U0CEO>"));
        assertThat(posts.stream()
                        .map(Map::toString)
                        .filter(p -> p.contains("User report RPT-1"))
                        .findFirst()
                        .orElseThrow())
                .contains("from U0CEO (form `support-widget`)");
        assertThat(bot.slack().calls("conversations.invite"))
                .noneSatisfy(i -> assertThat(i.toString()).contains("U0CEO"));
        assertThat(bot.string("select reporter from incident where id = 1")).isEqualTo("U0CEO (as typed in a report)");

        // The Slack user U0CEO did not report it, so they have no first-assessment right.
        HttpResponse<String> assess = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        "INC-1",
                        "U0CEO",
                        SlackPayloads.assessment(true, "ONE_USER", new String[] {}, false, true, Map.of())),
                FORM);
        assertThat(bot.json(assess).path("view").toString())
                .contains("Only the reporter (the first assessment only) or responders");
        assertThat(bot.count("select count(*) from assessment")).isZero();
    }

    @Test
    void theCardsFallbackTextKeepsMentionsAndLinksFromATitleAsText() {
        bot = TestBot.start(
                Map.of("FIREBREAK_INTAKE_SECRET", TestBot.INTAKE_SECRET, "FIREBREAK_TRIAGE_CHANNEL", "C0TRIAGE01"));

        bot.report(
                "{\"description\": \"<!channel> refunds broken <https://evil.example|click> <@U0CEO>\", \"reporter\": \"dana@example.com\"}");

        Map<String, String> card = bot.slack().awaitCalls("chat.postMessage", 1).stream()
                .filter(p -> p.getOrDefault("blocks", "").contains("INC-1"))
                .findFirst()
                .orElseThrow();
        assertThat(card.get("text"))
                .contains("&lt;!channel&gt; refunds broken &lt;https://evil.example|click&gt; &lt;@U0CEO&gt;")
                .doesNotContain("<!channel>")
                .doesNotContain("<https://")
                .doesNotContain("<@U0CEO>");
    }

    @Test
    void withNoRespondersConfiguredNobodyFiresAndTheStartUpLineSaysSo() {
        try (LogCapture logs = LogCapture.capture()) {
            Map<String, String> env = new HashMap<>();
            env.put("FIREBREAK_RESPONDERS", null);
            bot = TestBot.start(env);

            assertThat(logs.linesContaining("AccessWiring"))
                    .filteredOn(l -> !l.startsWith("{"))
                    .singleElement()
                    .asString()
                    .contains("nobody may fire containment: FIREBREAK_RESPONDERS is not set");
        }
        bot.command("open critical Refund agent sent wrong refunds");

        String answer = bot.text(bot.command("contain INC-1 pause-workflow workflow=refund-agent -- stop it"));

        assertThat(answer).contains("Only responders can fire containment.").contains("No responders are configured");
        assertThat(bot.count("select count(*) from containment_run")).isZero();
    }

    @Test
    void theStartUpLineNamesTheRespondersAndTheWorkspace() {
        try (LogCapture logs = LogCapture.capture()) {
            bot = TestBot.start(Map.of("FIREBREAK_TEAM_ID", HOME));

            assertThat(logs.linesContaining("AccessWiring"))
                    .filteredOn(l -> !l.startsWith("{"))
                    .singleElement()
                    .asString()
                    .contains("containment may be fired by " + TestBot.RESPONDERS.replace(",", ", ")
                            + " (FIREBREAK_RESPONDERS)")
                    .contains("only from workspace " + HOME);
        }
    }

    /** The captured button payload, clicked by someone whose own workspace is not the channel's. */
    private static String buttonFromGuest(String actionId, String value) {
        String body =
                SlackPayloads.button(actionId, value, TestBot.USER, "https://hooks.slack.com/actions/T111/1/guest");
        String json = java.net.URLDecoder.decode(
                body.substring("payload=".length()), java.nio.charset.StandardCharsets.UTF_8);
        try {
            ObjectNode payload = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            ((ObjectNode) payload.get("user")).put("team_id", "T0GUEST001");
            return "payload=" + Fixtures.encode(payload.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
