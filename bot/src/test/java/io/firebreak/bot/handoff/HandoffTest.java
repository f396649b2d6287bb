package io.firebreak.bot.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On-call handoffs end to end: the pack, acceptance, re-announcement and refusals. */
class HandoffTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String BOB = "U0BOB00001";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(
                Map.of("FIREBREAK_RESPONDERS", TestBot.USER + "," + BOB, "FIREBREAK_HANDOFF_REMINDER", "PT1S"));
        bot.command("open high Refund agent sent wrong refunds");
        bot.command("note INC-1 paused the refunds workflow at 09:20");
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private Map<String, String> awaitPack() {
        return bot.slack().awaitCall("chat.postMessage", c -> BOB.equals(c.get("channel")));
    }

    @Test
    void theReceiverGetsThePackAndTakesOverOnlyWhenAccepting() {
        String answer = bot.text(bot.command("handoff INC-1 <@" + BOB + "|bob> refunds paused; vendor call at 10:00"));

        assertThat(answer).contains("Offered INC-1 to <@" + BOB + ">").contains("You stay commander");
        Map<String, String> pack = awaitPack();
        assertThat(pack.get("blocks"))
                .contains("Handoff: 1 incident(s) for you")
                .contains("INC-1")
                .contains("high")
                .contains("detected")
                .contains("Waiting on: containment")
                .contains("paused the refunds workflow at 09:20")
                .contains("refunds paused; vendor call at 10:00")
                .contains("incident_handoff_accept")
                .contains("I have it");
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(TestBot.USER);
        String handoffId = bot.string("select id::text from handoff");

        Map<String, String> reminder = bot.slack()
                .awaitCall("chat.postMessage", c -> c.getOrDefault("text", "").contains("has not been accepted"));
        assertThat(reminder.get("channel")).isEqualTo(bot.string("select card_channel from incident where id = 1"));
        assertThat(reminder.get("text")).contains("INC-1").contains("<@" + TestBot.USER + "> is still the commander");

        String url = bot.slack().responseUrl("accept");
        bot.postSigned(SlackPayloads.button("incident_handoff_accept", handoffId, BOB, url), FORM);

        assertThat(bot.slack().awaitResponseTexts("accept", 1).get(0)).contains("<@" + BOB + "> now commands INC-1");
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(BOB);
        List<String> kinds = bot.db()
                .withHandle(h -> h.select("select kind from timeline_event order by seq")
                        .mapTo(String.class)
                        .list());
        assertThat(kinds).containsSubsequence("handoff_offered", "handoff_accepted", "commander_changed");
        long remindersAfterAccept = reminders();
        JobQueue.awaitSettled(bot);
        assertThat(reminders()).isEqualTo(remindersAfterAccept);
    }

    private long reminders() {
        return bot.slack().calls("chat.postMessage").stream()
                .filter(c -> c.getOrDefault("text", "").contains("has not been accepted"))
                .count();
    }

    @Test
    void onlyTheReceiverCanAccept() {
        bot.command("handoff INC-1 <@" + BOB + "|bob>");
        String handoffId = bot.string("select id::text from handoff");

        bot.postSigned(
                SlackPayloads.button(
                        "incident_handoff_accept",
                        handoffId,
                        "U0MALLORY1",
                        bot.slack().responseUrl("steal")),
                FORM);

        assertThat(bot.slack().awaitResponseTexts("steal", 1).get(0)).contains("is for <@" + BOB + ">");
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(TestBot.USER);
    }

    @Test
    void handingToANonResponderIsRefusedClearlyAndWritesNothing() {
        String answer = bot.text(bot.command("handoff INC-1 <@U0OUTSIDE1|visitor> please take it"));

        assertThat(answer).contains("<@U0OUTSIDE1> is not a responder");
        assertThat(bot.count("select count(*) from handoff")).isZero();
        assertThat(bot.count("select count(*) from timeline_event where kind = 'handoff_offered'"))
                .isZero();
        assertThat(bot.text(bot.command("handoff INC-1 bob"))).contains("Name who takes over");
        assertThat(bot.text(bot.command("handoff INC-1 <@" + TestBot.USER + "|me>")))
                .contains("already commands INC-1");
    }

    @Test
    void withoutAKeyEveryIncidentTheCallerCommandsGoesInOnePack() {
        bot.command("open medium Wrong store hours in answers");
        bot.command("open low Typo in a draft", BOB, TestBot.CHANNEL);

        String answer = bot.text(bot.command("handoff <@" + BOB + "|bob> end of my shift"));

        assertThat(answer).contains("Offered INC-1, INC-2 to <@" + BOB + ">");
        Map<String, String> pack = awaitPack();
        assertThat(pack.get("blocks"))
                .contains("Handoff: 2 incident(s) for you")
                .contains("INC-1")
                .contains("INC-2")
                .doesNotContain("INC-3");
        assertThat(bot.slack().calls("chat.postMessage").stream().filter(c -> BOB.equals(c.get("channel"))))
                .hasSize(1);
        assertThat(bot.count("select count(*) from handoff")).isEqualTo(2);
    }

    @Test
    void oncallShowsCommandersAndWhatEachWaitsOn() {
        bot.command("open Unassessed thing");
        bot.command("handoff INC-1 <@" + BOB + "|bob>");

        String text = bot.text(bot.command("oncall"));

        assertThat(text)
                .contains("On call* (2 open incidents)")
                .contains("*INC-1*")
                .contains("waiting on <@" + BOB + "> to accept the handoff")
                .contains("*INC-2*")
                .contains("waiting on an impact assessment");
    }

    @Test
    void theCardButtonOpensAFormWhoseSubmissionOffersTheHandoff() {
        bot.postSigned(
                SlackPayloads.button(
                        "incident_handoff", "INC-1", TestBot.USER, bot.slack().responseUrl("btn")),
                FORM);
        assertThat(bot.slack()
                        .json(bot.slack().awaitCalls("views.open", 1).get(0).get("view"))
                        .path("callback_id")
                        .asText())
                .isEqualTo("incident_handoff");
        ObjectNode values = new ObjectMapper().createObjectNode();
        values.putObject("to").putObject("to").put("type", "users_select").put("selected_user", BOB);
        values.set("note", SlackPayloads.text("note", "over to you"));

        var response =
                bot.postSigned(SlackPayloads.viewSubmission("incident_handoff", "INC-1", TestBot.USER, values), FORM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(awaitPack().get("blocks")).contains("over to you");
    }
}
