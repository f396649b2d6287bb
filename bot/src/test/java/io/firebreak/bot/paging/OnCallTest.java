package io.firebreak.bot.paging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.testing.TestBot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /incident oncall} with who PagerDuty says is on call, next to the open incidents, and when it cannot say. */
class OnCallTest {
    static final String TIM = "U0TIMWRIG1";
    final PagerDutyStub pagerDuty = new PagerDutyStub();
    TestBot bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        pagerDuty.close();
    }

    private void start() {
        bot = TestBot.start(pagerDuty.env(
                "PAGERDUTY_API_TOKEN", PagerDutyStub.API_TOKEN,
                "PAGERDUTY_SCHEDULES", PagerDutyStub.SCHEDULE,
                // Only the command reads the on-call here.
                "PAGERDUTY_ONCALL_POLL", "PT1H"));
        bot.slack()
                .wiremock()
                .stubFor(post("/api/users.lookupByEmail")
                        .withRequestBody(containing("email=tim%40example.com"))
                        .willReturn(okJson("{\"ok\": true, \"user\": {\"id\": \"" + TIM
                                + "\", \"team_id\": \"T012AB3C4\", \"name\": \"tim\"}}")));
        bot.command("open high Refund agent sent wrong refunds");
    }

    private List<LoggedRequest> onCallReads() {
        return pagerDuty.wiremock().findAll(getRequestedFor(urlPathEqualTo("/oncalls")));
    }

    @Test
    void showsWhoIsOnCallPerScheduleFoundInSlackByEmailNextToTheOpenIncidents() {
        pagerDuty.onCall(
                pagerDuty.onCallAnswer("PT23IWX", "Tim Wright", "tim@example.com", "2026-12-01T15:28:51-05:00"));
        start();

        String answer = bot.text(bot.command("oncall"));
        String again = bot.text(bot.command("oncall"));

        assertThat(answer)
                .contains("*On call now*")
                .contains("• Daily Engineering Rotation: <@" + TIM + "> until <!date^")
                .contains("*On call* (1 open incidents)")
                .contains("INC-1");
        assertThat(answer.indexOf("On call now")).isLessThan(answer.indexOf("INC-1"));
        assertThat(again).isEqualTo(answer);
        List<LoggedRequest> reads = onCallReads();
        assertThat(reads).as("kept for PAGERDUTY_ONCALL_CACHE, so read once").hasSize(1);
        LoggedRequest read = reads.get(0);
        assertThat(read.getHeader("Authorization")).isEqualTo("Token token=" + PagerDutyStub.API_TOKEN);
        assertThat(read.getHeader("Accept")).isEqualTo("application/vnd.pagerduty+json;version=2");
        assertThat(read.queryParameter("schedule_ids[]").values()).containsExactly(PagerDutyStub.SCHEDULE);
        assertThat(read.queryParameter("include[]").values()).containsExactly("users");
    }

    @Test
    void whenPagerDutyCannotBeAskedTheAnswerSaysSoAndStillListsTheIncidents() {
        pagerDuty
                .wiremock()
                .stubFor(get(urlPathEqualTo("/oncalls"))
                        .willReturn(aResponse()
                                .withStatus(401)
                                .withBody("{\"error\":{\"message\":\"Unauthorized\",\"code\":2006}}")));
        start();

        String answer = bot.text(bot.command("oncall"));

        assertThat(answer)
                .contains(":warning: PagerDuty could not be asked who is on call: credentials rejected by"
                        + " PagerDuty's REST API (401)")
                .contains("INC-1")
                .doesNotContain(PagerDutyStub.API_TOKEN);
    }

    @Test
    void aPagerDutyTooSlowForSlacksThreeSecondsIsCutShort() {
        pagerDuty
                .wiremock()
                .stubFor(get(urlPathEqualTo("/oncalls"))
                        .willReturn(okJson(pagerDuty.onCallAnswer("PT23IWX", "Tim Wright", "tim@example.com", "s"))
                                .withFixedDelay(5000)));
        start();

        long t0 = System.nanoTime();
        String answer = bot.text(bot.command("oncall"));

        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        assertThat(answer)
                .contains("PagerDuty's REST API did not answer in time")
                .contains("INC-1");
    }

    @Test
    void withoutSchedulesOncallIsAsBefore() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");

        assertThat(bot.text(bot.command("oncall")))
                .doesNotContain("On call now")
                .contains("INC-1");
    }
}
