package io.firebreak.bot.paging;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shift change hands off: two replicas on one database poll PagerDuty's schedule; when the on-call changes from Alice
 * (mapped by PAGERDUTY_USER_MAP) to Bob (found in Slack by e-mail), Alice's two open incidents are offered to Bob in
 * exactly one handoff pack, and Alice is told once.
 */
class ShiftChangeTest {
    static final String ALICE = "U0ALICE001";
    static final String BOB = "U0BOB00001";
    static final String FORM = "application/x-www-form-urlencoded";
    final PagerDutyStub pagerDuty = new PagerDutyStub();
    TestBot bot;
    TestBot replica;

    @AfterEach
    void stop() {
        if (replica != null) {
            replica.close();
        }
        if (bot != null) {
            bot.close();
        }
        pagerDuty.close();
    }

    private long onCallReads() {
        return pagerDuty
                .wiremock()
                .findAll(getRequestedFor(urlPathEqualTo("/oncalls")))
                .size();
    }

    private List<Map<String, String>> messagesTo(String user, String containing) {
        return bot.slack().calls("chat.postMessage").stream()
                .filter(c -> user.equals(c.get("channel")))
                .filter(c -> (c.getOrDefault("text", "") + c.getOrDefault("blocks", "")).contains(containing))
                .toList();
    }

    @Test
    void theOutgoingOnCallsOpenIncidentsAreOfferedOnceAcrossReplicas() {
        pagerDuty.onCall(pagerDuty.onCallAnswer("PALICE1", "Alice Adams", "alice@example.com", "2026-12-01T09:00:00Z"));
        bot = TestBot.start(pagerDuty.env(
                "PAGERDUTY_API_TOKEN",
                PagerDutyStub.API_TOKEN,
                "PAGERDUTY_SCHEDULES",
                PagerDutyStub.SCHEDULE,
                "PAGERDUTY_ONCALL_POLL",
                "PT1S",
                "PAGERDUTY_USER_MAP",
                "PALICE1=" + ALICE,
                "FIREBREAK_RESPONDERS",
                TestBot.USER + "," + ALICE + "," + BOB));
        replica = bot.replica();
        bot.slack()
                .wiremock()
                .stubFor(post("/api/users.lookupByEmail")
                        .withRequestBody(containing("email=bob%40example.com"))
                        .willReturn(okJson("{\"ok\": true, \"user\": {\"id\": \"" + BOB + "\", \"name\": \"bob\"}}")));
        bot.command("open high Refund agent sent wrong refunds", ALICE, TestBot.CHANNEL);
        replica.command("open medium Wrong store hours in answers", ALICE, TestBot.CHANNEL);
        bot.command("open low Typo in a draft", TestBot.USER, TestBot.CHANNEL);
        bot.awaitCount(1, "select count(*) from oncall_shift");

        pagerDuty.onCall(pagerDuty.onCallAnswer("PBOB001", "Bob Brown", "bob@example.com", "2026-12-02T09:00:00Z"));

        Await.until(
                "Bob's handoff pack",
                () -> !messagesTo(BOB, "Handoff: 2 incident(s) for you").isEmpty());
        Await.until(
                "Alice's message",
                () -> !messagesTo(ALICE, "Your PagerDuty shift").isEmpty());
        long reads = onCallReads();
        Await.until("three more polls", () -> onCallReads() >= reads + 3);

        assertThat(messagesTo(BOB, "Handoff:")).hasSize(1);
        List<Map<String, String>> toAlice = messagesTo(ALICE, "Your PagerDuty shift");
        assertThat(toAlice).hasSize(1);
        assertThat(toAlice.get(0).get("text"))
                .contains(
                        "Your PagerDuty shift on *Daily Engineering Rotation* has ended: <@" + BOB + "> is on call now")
                .contains("the 2 open incident(s) you command (INC-1, INC-2) in one handoff pack")
                .contains("you stay commander until they click *I have it*")
                .contains("PAGERDUTY_USER_MAP and their e-mail in Slack");
        assertThat(bot.count("select count(*) from handoff where to_user = ?", BOB))
                .isEqualTo(2);
        assertThat(bot.count("select count(*) from oncall_shift")).isEqualTo(2);
        assertThat(bot.count(
                        "select count(*) from timeline_event where kind = 'handoff_offered' and actor = 'firebreak'"))
                .isEqualTo(2);
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(ALICE);

        List<String> handoffIds = bot.db()
                .withHandle(h -> h.select("select id::text from handoff order by id")
                        .mapTo(String.class)
                        .list());
        String ids = String.join(",", handoffIds);
        String url = bot.slack().responseUrl("accept");
        replica.postSigned(SlackPayloads.button("incident_handoff_accept", ids, BOB, url), FORM);
        assertThat(bot.slack().awaitResponseTexts("accept", 1).get(0)).contains("<@" + BOB + "> now commands INC-1");
        assertThat(bot.count("select count(*) from incident where commander = ?", BOB))
                .isEqualTo(2);
        assertThat(bot.string("select commander from incident where id = 3")).isEqualTo(TestBot.USER);
    }

    @Test
    void anIncomingOnCallWhoIsNotAResponderGetsNothingAndTheOutgoingOneIsTold() {
        pagerDuty.onCall(pagerDuty.onCallAnswer("PALICE1", "Alice Adams", "alice@example.com", "2026-12-01T09:00:00Z"));
        bot = TestBot.start(pagerDuty.env(
                "PAGERDUTY_API_TOKEN",
                PagerDutyStub.API_TOKEN,
                "PAGERDUTY_SCHEDULES",
                PagerDutyStub.SCHEDULE,
                "PAGERDUTY_ONCALL_POLL",
                "PT1S",
                "PAGERDUTY_USER_MAP",
                "PALICE1=" + ALICE + ",carol@example.com=U0CAROL001",
                "FIREBREAK_RESPONDERS",
                TestBot.USER + "," + ALICE));
        bot.command("open high Refund agent sent wrong refunds", ALICE, TestBot.CHANNEL);
        bot.awaitCount(1, "select count(*) from oncall_shift");

        pagerDuty.onCall(pagerDuty.onCallAnswer("PCAROL1", "Carol Chen", "carol@example.com", "2026-12-02T09:00:00Z"));

        Await.until(
                "Alice's message",
                () -> !messagesTo(ALICE, "Your PagerDuty shift").isEmpty());
        assertThat(messagesTo(ALICE, "Your PagerDuty shift").get(0).get("text"))
                .contains("<@U0CAROL001> is on call now, but Firebreak could not offer them your open incidents")
                .contains("<@U0CAROL001> is not a responder")
                .contains("/incident handoff @someone");
        assertThat(bot.count("select count(*) from handoff")).isZero();
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(ALICE);
    }
}
