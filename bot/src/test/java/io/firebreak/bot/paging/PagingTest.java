package io.firebreak.bot.paging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Paging PagerDuty end to end, against WireMock as the Events API: bodies, idempotence and PagerDuty's faults. */
class PagingTest {
    static final String FORM = "application/x-www-form-urlencoded";
    final PagerDutyStub pagerDuty = new PagerDutyStub();
    TestBot bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        pagerDuty.close();
    }

    private void start(String... env) {
        bot = TestBot.start(pagerDuty.env(env));
        bot.command("open high Refund agent sent wrong refunds");
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
    }

    private Map<String, String> awaitNotice(String contains) {
        return bot.slack()
                .awaitCall(
                        "chat.postMessage",
                        c -> c.getOrDefault("text", "").contains(contains) && c.get("thread_ts") != null);
    }

    private List<String> notices() {
        List<String> texts = new ArrayList<>();
        bot.slack().calls("chat.postMessage").stream()
                .filter(c -> c.get("thread_ts") != null)
                .forEach(c -> texts.add(c.getOrDefault("text", "")));
        return texts;
    }

    @Test
    void aPageTriggersWithTheIncidentKeyAsDedupKeyAndLinksBackThenAcknowledgesAndResolvesWithTheIncident() {
        start();

        String answer = bot.text(bot.command("page INC-1 payments -- refunds going to the wrong customers"));

        assertThat(answer).contains("Paging *payments* in PagerDuty for INC-1").contains("dedup key `INC-1`");
        JsonNode trigger = pagerDuty.awaitEvents(1).get(0);
        assertThat(trigger.path("routing_key").asText()).isEqualTo(PagerDutyStub.PAYMENTS_KEY);
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("INC-1");
        assertThat(trigger.path("payload").path("summary").asText())
                .isEqualTo("INC-1: Refund agent sent wrong refunds");
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("error");
        assertThat(trigger.path("payload").path("source").asText()).isEqualTo("firebreak");
        assertThat(trigger.path("payload").path("custom_details").path("reason").asText())
                .isEqualTo("refunds going to the wrong customers");
        assertThat(trigger.path("links").findValuesAsText("href"))
                .containsExactly(
                        "https://ghostbusters.slack.com/archives/C1H9RESGA/p135854651500008",
                        "https://firebreak.example.com/api/incidents/INC-1");
        // The routing key is where PagerDuty reads it and nowhere else in the event.
        assertThat(trigger.toString().split(PagerDutyStub.PAYMENTS_KEY, -1)).hasSize(2);
        awaitNotice("PagerDuty has the page for *payments*");
        assertThat(notices()).anyMatch(t -> t.contains("<@" + TestBot.USER + "> is paging *payments*"));

        String again = bot.text(bot.command("page INC-1 payments"));
        assertThat(again)
                .contains("INC-1 was already paged to *payments* by <@" + TestBot.USER + ">")
                .contains("PagerDuty has it")
                .contains("nothing new was sent");

        bot.command("status INC-1 contained");
        JsonNode ack = pagerDuty.awaitEvents(2).get(1);
        assertThat(ack.path("event_action").asText()).isEqualTo("acknowledge");
        assertThat(ack.path("dedup_key").asText()).isEqualTo("INC-1");
        assertThat(ack.path("routing_key").asText()).isEqualTo(PagerDutyStub.PAYMENTS_KEY);
        assertThat(ack.has("payload")).isFalse();

        bot.command("status INC-1 resolved");
        JsonNode resolve = pagerDuty.awaitEvents(3).get(2);
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo("INC-1");
        assertThat(resolve.path("routing_key").asText()).isEqualTo(PagerDutyStub.PAYMENTS_KEY);
        awaitNotice("Resolved the PagerDuty alert of *payments*");

        JobQueue.awaitSettled(bot);
        assertThat(pagerDuty.events()).hasSize(3);
        assertThat(bot.count("select count(*) from timeline_event where kind = 'pagerduty_call'"))
                .isEqualTo(3);
        assertThat(bot.count(
                        "select count(*) from timeline_event where details::text like ?",
                        "%" + PagerDutyStub.PAYMENTS_KEY + "%"))
                .as("the routing key is redacted from the recorded exchanges")
                .isZero();
        assertThat(bot.count("select count(*) from timeline_event where details::text like '%[REDACTED]%'"))
                .isEqualTo(3);
    }

    @Test
    void theCardsPageButtonPagesTheFirstServiceAndARepeatedPageSendsNothing() {
        start();
        String url = bot.slack().responseUrl("page");

        bot.postSigned(SlackPayloads.button("incident_page", "INC-1", TestBot.USER, url), FORM);

        assertThat(bot.slack().awaitResponseTexts("page", 1).get(0))
                .contains("Paging *agents*")
                .contains("Other services: payments");
        assertThat(pagerDuty.awaitEvents(1).get(0).path("routing_key").asText()).isEqualTo(PagerDutyStub.AGENTS_KEY);
        bot.postSigned(SlackPayloads.button("incident_page", "INC-1", TestBot.USER, url), FORM);
        assertThat(bot.slack().awaitResponseTexts("page", 2).get(1)).contains("already paged to *agents*");
        JobQueue.awaitSettled(bot);
        assertThat(pagerDuty.events()).hasSize(1);
        assertThat(bot.slack()
                        .awaitCall(
                                "chat.update", c -> c.getOrDefault("blocks", "").contains("agents: trigger sent"))
                        .get("blocks"))
                .contains(":pager: *PagerDuty* · agents: trigger sent")
                .contains("\"action_id\":\"incident_page\"");
    }

    @Test
    void aServerErrorIsRetriedAndTheResponderIsToldInWords() {
        pagerDuty
                .wiremock()
                .stubFor(post("/v2/enqueue")
                        .inScenario("flaky")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(500).withBody("{\"status\":\"error\"}"))
                        .willSetStateTo("up"));
        pagerDuty
                .wiremock()
                .stubFor(post("/v2/enqueue")
                        .inScenario("flaky")
                        .whenScenarioStateIs("up")
                        .willReturn(PagerDutyStub.accepted()));
        start();

        bot.command("page INC-1");

        assertThat(awaitNotice("did not take the page for *agents* yet").get("text"))
                .contains("PagerDuty failed (500)")
                .contains("keeps trying (up to 6 attempts); the incident is unaffected");
        awaitNotice("PagerDuty has the page for *agents*");
        assertThat(pagerDuty.events()).hasSize(2);
        assertThat(bot.string("select state from page_event")).isEqualTo("SENT");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
    }

    @Test
    void aRateLimitIsWaitedOutForItsRetryAfter() {
        pagerDuty
                .wiremock()
                .stubFor(post("/v2/enqueue")
                        .inScenario("limited")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse()
                                .withStatus(429)
                                .withHeader("Retry-After", "1")
                                .withBody("{\"status\":\"throttle event\",\"message\":\"Requests for this service"
                                        + " are arriving too quickly.  Please retry later.\"}"))
                        .willSetStateTo("calm"));
        pagerDuty
                .wiremock()
                .stubFor(post("/v2/enqueue")
                        .inScenario("limited")
                        .whenScenarioStateIs("calm")
                        .willReturn(PagerDutyStub.accepted()));
        start();

        bot.command("page INC-1");

        assertThat(awaitNotice("did not take the page").get("text")).contains("rate limited (429)");
        awaitNotice("PagerDuty has the page");
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> sent = pagerDuty.events();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getLoggedDate().getTime()
                        - sent.get(0).getLoggedDate().getTime())
                .as("the second try waits for Retry-After: 1")
                .isGreaterThanOrEqualTo(900);
    }

    @Test
    void aRefusedPageIsNotRetriedAndSaysWhyAndTheIncidentIsUnaffected() {
        pagerDuty
                .wiremock()
                .stubFor(post("/v2/enqueue")
                        .willReturn(aResponse()
                                .withStatus(400)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                                        + "\"errors\":[\"Length of 'routing_key' is incorrect (should be 32"
                                        + " characters)\"]}")));
        start();

        bot.command("page INC-1 agents -- wrong refunds");

        String notice =
                awaitNotice("PagerDuty did not accept the page for *agents*").get("text");
        assertThat(notice)
                .contains("invalid routing key (400)")
                .contains("not retried")
                .contains("Check PAGERDUTY_ROUTING_KEY_AGENTS")
                .contains("The incident is unaffected")
                .doesNotContain(PagerDutyStub.AGENTS_KEY);
        JobQueue.awaitSettled(bot);
        assertThat(pagerDuty.events()).hasSize(1);
        assertThat(bot.string("select state from page_event")).isEqualTo("FAILED");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
        // Once fixed, paging again sends a new trigger: a refused page does not count as paged.
        assertThat(bot.text(bot.command("page INC-1 agents"))).contains("Paging *agents*");
    }

    @Test
    void aPagerDutyThatNeverAnswersInTimeIsGivenUpAfterItsAttempts() {
        pagerDuty
                .wiremock()
                .stubFor(post("/v2/enqueue").willReturn(PagerDutyStub.accepted().withFixedDelay(1500)));
        start("PAGERDUTY_ATTEMPTS", "2");

        bot.command("page INC-1");

        assertThat(awaitNotice("did not take the page").get("text")).contains("no answer in time");
        assertThat(awaitNotice("PagerDuty did not accept the page for *agents*").get("text"))
                .contains("no answer in time")
                .contains("gave up after 2 attempts");
        assertThat(bot.string("select state from page_event")).isEqualTo("FAILED");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
    }

    @Test
    void pagingIsAResponderCallAndBadInputIsRefusedClearly() {
        start();

        String visitor = bot.text(bot.command("page INC-1", "U0VISITOR1", TestBot.CHANNEL));
        assertThat(visitor).contains("Only responders can page the on-call");
        assertThat(bot.text(bot.command("page INC-1 pager-of-doom")))
                .contains("There is no service pager-of-doom to page. Configured: agents, payments.");
        assertThat(bot.text(bot.command("page INC-1 agents payments"))).contains("Name one service");
        assertThat(bot.text(bot.command("page INC-9"))).contains("There is no incident INC-9");
        bot.command("status INC-1 resolved");
        assertThat(bot.text(bot.command("page INC-1"))).contains("INC-1 is resolved");

        JobQueue.awaitSettled(bot);
        assertThat(pagerDuty.events()).isEmpty();
        assertThat(bot.count("select count(*) from page_event")).isZero();
    }

    @Test
    void withoutServicesPagingSaysHowToTurnItOn() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");

        assertThat(bot.text(bot.command("page INC-1")))
                .contains("Paging is off: set PAGERDUTY_SERVICES")
                .contains("PAGERDUTY_ROUTING_KEY_&lt;NAME&gt;");
    }
}
