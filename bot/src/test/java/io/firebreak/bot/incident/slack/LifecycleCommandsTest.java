package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Severity override, phases, commander and notes from commands, end to end. */
class LifecycleCommandsTest {
    static final String FORM = "application/x-www-form-urlencoded";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");
        bot.slack().awaitCalls("chat.postMessage", 1);
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private List<Map<String, Object>> events(String kind) {
        return bot.db()
                .withHandle(h -> h.select(
                                "select actor, details::text as details from timeline_event where kind = ? order by seq",
                                kind)
                        .mapToMap()
                        .list());
    }

    @Test
    void severityOverrideNeedsAReasonAndKeepsFromToWhoAndWhy() {
        assertThat(bot.text(bot.command("sev INC-1 critical"))).contains("needs a reason");
        assertThat(bot.text(bot.command("sev INC-1 sev0 customers affected"))).contains("`sev0` is not a severity");
        assertThat(events("severity_changed")).isEmpty();

        String answer = bot.text(bot.command("sev INC-1 critical refunds still going out to 300 customers"));

        assertThat(answer).contains("from high to *critical*");
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("CRITICAL");
        Map<String, Object> event = events("severity_changed").get(0);
        assertThat(event.get("actor")).isEqualTo(TestBot.USER);
        assertThat((String) event.get("details"))
                .contains("\"from\":\"HIGH\"")
                .contains("\"to\":\"CRITICAL\"")
                .contains("refunds still going out to 300 customers");
        Map<String, String> update = bot.slack().awaitCalls("chat.update", 1).get(0);
        assertThat(update.get("ts")).isEqualTo("1503435956.000247");
        assertThat(update.get("blocks")).contains("critical").contains("override: refunds still going out");
        Map<String, String> notice =
                bot.slack().awaitCalls("chat.postMessage", 2).get(1);
        assertThat(notice.get("thread_ts")).isEqualTo("1503435956.000247");
        assertThat(notice.get("text")).contains("<@" + TestBot.USER + ">").contains("critical");
    }

    @Test
    void phasesMoveOnlyAlongTheLifecycleAndRefusalsListTheLegalSteps() {
        assertThat(bot.text(bot.command("status INC-1 contained paused the workflow")))
                .contains("moved from detected to *contained*");

        String refused = bot.text(bot.command("status INC-1 detected"));
        String closedTooSoon = bot.text(bot.command("status INC-1 closed"));
        String unknown = bot.text(bot.command("status INC-1 fixed"));

        assertThat(refused)
                .contains("cannot move to detected")
                .contains("can move to: investigating, correcting, resolved");
        assertThat(closedTooSoon)
                .contains("cannot close yet")
                .contains(":x: Resolved — it is contained; resolve it first");
        assertThat(unknown)
                .contains("`fixed` is not a phase")
                .contains("can move to: investigating, correcting, resolved");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("CONTAINED");
        assertThat(events("phase_changed")).hasSize(1);
        assertThat((String) events("phase_changed").get(0).get("details"))
                .contains("\"reason\":\"paused the workflow\"");
    }

    @Test
    void reopeningAClosedIncidentNeedsAReason() {
        bot.command("status INC-1 resolved");
        // Closing needs the postmortem's follow-ups (CloseGateTest); here only reopening is under test.
        bot.db().useHandle(h -> h.execute("update incident set phase = 'CLOSED' where id = 1"));

        assertThat(bot.text(bot.command("status INC-1 investigating"))).contains("needs a reason");
        assertThat(bot.text(bot.command("status INC-1 investigating refunds went wrong again")))
                .contains("to *investigating*");
    }

    @Test
    void leadTakesAnEscapedMentionOrABareId() {
        assertThat(bot.text(bot.command("lead INC-1 <@U024BE7LH|bob>"))).contains("<@U024BE7LH> now commands INC-1");
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo("U024BE7LH");
        assertThat(bot.text(bot.command("lead INC-1 U024BE7LH"))).contains("already commands");
        assertThat(bot.text(bot.command("lead INC-1 bob"))).contains("Name the new commander as @someone");
        assertThat((String) events("commander_changed").get(0).get("details"))
                .contains("\"from\":\"" + TestBot.USER + "\"")
                .contains("\"to\":\"U024BE7LH\"");
    }

    @Test
    void notesKeepNonAsciiTextAsTyped() {
        String answer = bot.text(bot.command("note INC-1 客服代理退款错误 — l’agent a remboursé 2× 💸 &lt;tool&gt;"));

        assertThat(answer).contains("Note added to INC-1");
        assertThat((String) events("note").get(0).get("details"))
                .contains("客服代理退款错误 — l’agent a remboursé 2× 💸 <tool>");
        assertThat(bot.text(bot.command("note INC-1"))).contains("A note needs some text");
        assertThat(bot.text(bot.command("note INC-9 hello"))).contains("There is no incident INC-9");
        assertThat(bot.text(bot.command("note hello there"))).contains("Say which incident");
        assertThat(events("note")).hasSize(1);
    }

    @Test
    void onlyRespondersChangeSeverityPhaseAndCommanderButAnyoneMayNote() {
        try (TestBot guarded = TestBot.start(Map.of("FIREBREAK_RESPONDERS", "U0RESPOND1,S0ONCALL"))) {
            guarded.slack()
                    .wiremock()
                    .stubFor(post("/api/usergroups.users.list")
                            .willReturn(okJson("{\"ok\": true, \"users\": [\"U0ONCALL22\"]}")));
            guarded.command("open high Refund agent sent wrong refunds", "U0RANDOM99", TestBot.CHANNEL);

            String sev = guarded.text(guarded.command("sev INC-1 critical it is worse", "U0RANDOM99", TestBot.CHANNEL));
            String phase = guarded.text(guarded.command("status INC-1 contained", "U0RANDOM99", TestBot.CHANNEL));
            String lead = guarded.text(guarded.command("lead INC-1 <@U0RANDOM99|me>", "U0RANDOM99", TestBot.CHANNEL));
            String toNonResponder =
                    guarded.text(guarded.command("lead INC-1 <@U0RANDOM99|me>", "U0RESPOND1", TestBot.CHANNEL));
            String note = guarded.text(guarded.command("note INC-1 I saw it too", "U0RANDOM99", TestBot.CHANNEL));
            String byGroupMember =
                    guarded.text(guarded.command("status INC-1 contained", "U0ONCALL22", TestBot.CHANNEL));

            assertThat(sev).contains("Only responders can change the severity");
            assertThat(phase).contains("Only responders can change the phase");
            assertThat(lead).contains("Only responders");
            assertThat(toNonResponder).contains("is not a responder");
            assertThat(note).contains("Note added");
            assertThat(byGroupMember).contains("to *contained*");
            assertThat(guarded.string("select severity from incident where id = 1"))
                    .isEqualTo("HIGH");
            assertThat(
                            guarded.count(
                                    "select count(*) from timeline_event where kind in ('severity_changed','commander_changed')"))
                    .isZero();
        }
    }

    @Test
    void resolveButtonActsOnTheCurrentStateNotWhatTheCardShowed() {
        String url = bot.slack().responseUrl("resolve");
        HttpResponse<String> first =
                bot.postSigned(SlackPayloads.button("incident_resolve", "INC-1", TestBot.USER, url), FORM);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(bot.slack().awaitResponseTexts("resolve", 1).get(0)).contains("moved from detected to *resolved*");

        bot.postSigned(SlackPayloads.button("incident_resolve", "INC-1", TestBot.USER, url), FORM);

        assertThat(bot.slack().awaitResponseTexts("resolve", 2).get(1)).contains("INC-1 is already resolved");
        assertThat(events("phase_changed")).hasSize(1);
    }

    @Test
    void concurrentClicksOnTheSameButtonMakeOneChange() throws Exception {
        String url = bot.slack().responseUrl("race");
        String click = SlackPayloads.button("incident_resolve", "INC-1", TestBot.USER, url);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> bot.postSigned(click, FORM)));
            }
            for (var f : futures) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        List<String> answers = bot.slack().awaitResponseTexts("race", 8);

        assertThat(events("phase_changed")).hasSize(1);
        assertThat(answers.stream().filter(a -> a.contains("to *resolved*"))).hasSize(1);
        assertThat(answers.stream().filter(a -> a.contains("already resolved"))).hasSize(7);
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("RESOLVED");
    }

    @Test
    void phaseMenuMovesAndRefusesStaleChoices() {
        String url = bot.slack().responseUrl("menu");
        bot.postSigned(SlackPayloads.select("incident_phase", "INC-1:INVESTIGATING", TestBot.USER, url), FORM);
        assertThat(bot.slack().awaitResponseTexts("menu", 1).get(0)).contains("to *investigating*");

        // A card rendered while the incident was detected still offers "contained"; it now means going back.
        bot.command("status INC-1 correcting");
        bot.postSigned(SlackPayloads.select("incident_phase", "INC-1:CONTAINED", TestBot.USER, url), FORM);

        assertThat(bot.slack().awaitResponseTexts("menu", 2).get(1))
                .contains("cannot go from correcting back to contained");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("CORRECTING");
    }

    @Test
    void theCardCarriesStableButtonsAndOnlyLegalPhases() {
        JsonNode blocks =
                bot.slack().json(bot.slack().calls("chat.postMessage").get(0).get("blocks"));
        JsonNode actions = null;
        for (JsonNode block : blocks) {
            if (block.path("block_id").asText().equals("incident_actions")) {
                actions = block.path("elements");
            }
        }
        assertThat(actions).isNotNull();
        List<String> ids = new java.util.ArrayList<>();
        actions.forEach(e -> ids.add(e.path("action_id").asText()));
        assertThat(ids)
                .containsExactly(
                        "incident_assess",
                        "incident_note",
                        "incident_handoff",
                        "incident_correct",
                        "incident_followup",
                        "incident_resolve",
                        "incident_phase");
        actions.forEach(e -> {
            if (e.has("value")) {
                assertThat(e.path("value").asText()).isEqualTo("INC-1");
            }
        });
        List<String> phases = new java.util.ArrayList<>();
        actions.get(6).path("options").forEach(o -> phases.add(o.path("value").asText()));
        assertThat(phases)
                .containsExactly("INC-1:CONTAINED", "INC-1:INVESTIGATING", "INC-1:CORRECTING", "INC-1:RESOLVED");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
    }

    @Test
    void noteButtonOpensAFormAndItsSubmissionAddsTheNote() {
        bot.postSigned(
                SlackPayloads.button(
                        "incident_note", "INC-1", TestBot.USER, bot.slack().responseUrl("note")),
                FORM);
        Map<String, String> open = bot.slack().awaitCalls("views.open", 1).get(0);
        assertThat(open.get("trigger_id")).isEqualTo("111.222.valid");
        assertThat(bot.slack().json(open.get("view")).path("private_metadata").asText())
                .isEqualTo("INC-1");

        HttpResponse<String> empty = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_note", "INC-1", TestBot.USER, SlackPayloads.textValues("note", "   ")),
                FORM);
        HttpResponse<String> submitted = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_note",
                        "INC-1",
                        TestBot.USER,
                        SlackPayloads.textValues("note", "Vendor confirms the refund API double-posted")),
                FORM);

        assertThat(bot.json(empty).path("response_action").asText()).isEqualTo("errors");
        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(events("note"))
                .singleElement()
                .satisfies(e ->
                        assertThat((String) e.get("details")).contains("Vendor confirms the refund API double-posted"));
    }
}
