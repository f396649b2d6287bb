package io.firebreak.bot.rules;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.firebreak.bot.signals.Alerts;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every rule outcome end to end: severity, page, post, auto-containment once, dry run, and pause across replicas. */
class RulesTest {
    static final String RULES = """
            rules:
              - id: report-burst
                description: five or more user reports about one workflow in ten minutes
                auto_contain: true
                when: {source: reports, workflow: "*", reports: {at_least: 5, within: PT10M}}
                then:
                  severity: critical
                  page: agent-oncall
                  post: C0RULES001
                  contain: {action: force-manual-approval, parameters: {workflow: "{workflow}"}}
              - id: tool-error-rate
                when: {source: alertmanager, labels: {alertname: AgentToolErrorRate}, workflow: "*"}
                then: {severity: high, page: agent-oncall}
            """;
    static final String NOT_A_RESPONDER = "U0MEMBER01";

    WireMockServer agents;

    @BeforeEach
    void startAgentControl() {
        agents = new WireMockServer(wireMockConfig().dynamicPort());
        agents.start();
        agents.stubFor(any(anyUrl()).willReturn(okJson("{\"ok\": true}")));
    }

    @AfterEach
    void stopAgentControl() {
        agents.stop();
    }

    Map<String, String> env(String rules) {
        return Alerts.env(
                "FIREBREAK_RULES",
                Alerts.write("rules", rules).toString(),
                "FIREBREAK_ACTIONS",
                "../manifests/containment-actions.yml",
                "AGENT_CONTROL_URL",
                agents.baseUrl(),
                "AGENT_CONTROL_TOKEN",
                "act-planted-0123456789abcdef",
                "FIREBREAK_INTAKE_SECRET",
                TestBot.INTAKE_SECRET,
                "FIREBREAK_INTAKE_RATE_PER_MINUTE",
                "100");
    }

    /** Every report text differs: the same signed body in the same second would be a replay, answered and not stored. */
    static final java.util.concurrent.atomic.AtomicInteger REPORTS = new java.util.concurrent.atomic.AtomicInteger();

    static void reports(TestBot bot, int count, String workflow) {
        for (int n = 0; n < count; n++) {
            int i = REPORTS.incrementAndGet();
            assertThat(bot.report("{\"description\":\"the refund agent promised a refund it cannot give (" + i
                                    + ")\",\"workflow\":\"" + workflow + "\",\"form\":\"widget\"}")
                            .statusCode())
                    .isEqualTo(202);
        }
    }

    static long events(TestBot bot, String kind) {
        return bot.count("select count(*) from timeline_event where kind = ?", kind);
    }

    @Test
    void fiveReportsAboutOneWorkflowMakeItCriticalPageAndForceManualApprovalOnceEvenAfterAnUndo() {
        try (TestBot bot = TestBot.start(env(RULES))) {
            reports(bot, 4, "refunds");
            assertThat(bot.string("select severity from incident where id = 1")).isNull();
            assertThat(events(bot, "page_requested")).isZero();

            reports(bot, 1, "refunds");

            String actor = bot.string("select actor from timeline_event where kind = 'severity_changed'");
            assertThat(actor).matches("rule:report-burst@[0-9a-f]{12}");
            assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("CRITICAL");
            assertThat(bot.string("select details->>'text' from timeline_event where kind = 'page_requested'"))
                    .isEqualTo("page requested: agent-oncall");
            assertThat(bot.string("select details->>'text' from timeline_event where kind = 'rule_matched'"))
                    .contains("rule report-burst matched")
                    .contains("severity critical")
                    .contains("page agent-oncall")
                    .contains("post to C0RULES001")
                    .contains("fired force-manual-approval workflow=refunds");
            assertThat(bot.string("select requested_by from containment_run")).isEqualTo(actor);
            bot.awaitCount(1, "select count(*) from containment_run where state = 'SUCCEEDED'");
            agents.verify(1, putRequestedFor(urlPathEqualTo("/workflows/refunds/approval-mode")));
            var outcome = bot.slack()
                    .awaitCall(
                            "chat.postMessage",
                            c -> String.valueOf(c.get("blocks")).contains("containment_undo"));
            assertThat(outcome.get("blocks")).contains("Force manual approval");
            var post = bot.slack().awaitCall("chat.postMessage", c -> "C0RULES001".equals(c.get("channel")));
            assertThat(post.get("text")).contains("Rule `report-burst` matched *INC-1*");

            // At most once per target per incident: more reports, and an undo, do not fire it again.
            reports(bot, 2, "refunds");
            assertThat(bot.text(bot.command("undo INC-1 force-manual-approval -- fixed in v42")))
                    .doesNotContain("cannot");
            bot.awaitCount(1, "select count(*) from containment_run where state = 'UNDONE'");
            reports(bot, 1, "refunds");
            JobQueue.awaitSettled(bot);
            assertThat(bot.count("select count(*) from containment_run")).isEqualTo(1);
            assertThat(events(bot, "page_requested")).isEqualTo(1);
            assertThat(events(bot, "rule_matched")).isEqualTo(1);
            agents.verify(
                    1,
                    putRequestedFor(urlPathEqualTo("/workflows/refunds/approval-mode"))
                            .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("manual")));
            assertThat(bot.slack().calls("chat.postMessage").stream()
                            .filter(c -> "C0RULES001".equals(c.get("channel")))
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void anAlertmanagerToolErrorRateAlertForAWorkflowMakesItHighAndPages() {
        try (TestBot bot = TestBot.start(env(RULES))) {
            Alerts.alertmanager(bot, Alerts.alertmanagerStorm("AgentToolErrorRate", "refunds", 0, 1));
            Alerts.alertmanager(bot, Alerts.alertmanagerStorm("SomethingElse", "search", 10, 1));

            assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("HIGH");
            assertThat(bot.string("select severity from incident where id = 2")).isNull();
            assertThat(bot.count(
                            "select count(*) from timeline_event where kind = 'page_requested' and incident_id = 1"))
                    .isEqualTo(1);
            assertThat(events(bot, "page_requested")).isEqualTo(1);
            assertThat(bot.count("select count(*) from containment_run")).isZero();
        }
    }

    @Test
    void aDryRunRuleRecordsWhatItWouldHaveDoneAndDoesAndSendsNothing() {
        try (TestBot bot = TestBot.start(env(RULES.replace("auto_contain: true", "mode: dry-run")))) {
            reports(bot, 5, "refunds");
            JobQueue.awaitSettled(bot);

            assertThat(bot.string("select details->>'text' from timeline_event where kind = 'rule_dry_run'"))
                    .contains(
                            "(dry run) matched and would have: severity critical; page agent-oncall; post to C0RULES001;"
                                    + " fire force-manual-approval workflow=refunds")
                    .contains("nothing was done or sent");
            assertThat(bot.string("select severity from incident where id = 1")).isNull();
            assertThat(events(bot, "page_requested")).isZero();
            assertThat(bot.count("select count(*) from containment_run")).isZero();
            agents.verify(0, anyRequestedFor(anyUrl()));
            assertThat(bot.slack().calls("chat.postMessage").stream()
                            .filter(c -> "C0RULES001".equals(c.get("channel"))))
                    .isEmpty();
        }
    }

    @Test
    void responderPausesOnOneReplicaAndTheOtherDoesNothingUntilResumed() {
        try (TestBot a = TestBot.start(env(RULES));
                TestBot b = a.replica()) {
            assertThat(a.text(a.command("rules pause", NOT_A_RESPONDER, TestBot.CHANNEL)))
                    .contains("Only responders");
            assertThat(a.text(a.command("rules pause"))).contains("Rules are paused, for every replica");
            assertThat(b.text(b.command("rules")))
                    .contains("*paused*")
                    .contains("`report-burst`")
                    .contains("auto-contains");

            reports(b, 5, "refunds");
            JobQueue.awaitSettled(b);
            assertThat(b.string("select details->>'text' from timeline_event where kind = 'rule_skipped'"))
                    .isEqualTo("rule report-burst matched; rules are paused, nothing was done");
            assertThat(b.count("select count(*) from containment_run")).isZero();
            assertThat(events(b, "page_requested")).isZero();
            assertThat(b.string("select severity from incident where id = 1")).isNull();

            assertThat(b.text(b.command("rules resume"))).contains("Rules run again");
            assertThat(b.text(b.command("rules resume"))).contains("already running");
            Alerts.alertmanager(a, Alerts.alertmanagerStorm("AgentToolErrorRate", "search", 0, 1));
            Await.until("the page of the resumed rule", () -> events(a, "page_requested") == 1);
        }
    }

    @Test
    void aRuleNeverOverridesAPersonsSeverityNorContainsBelowIt() {
        try (TestBot bot = TestBot.start(env(RULES))) {
            reports(bot, 1, "refunds");
            assertThat(bot.text(bot.command("sev INC-1 low caught before users saw it")))
                    .contains("to *low*");
            reports(bot, 4, "refunds");

            assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("LOW");
            assertThat(bot.string("select details->>'text' from timeline_event where kind = 'rule_matched'"))
                    .contains("page agent-oncall")
                    .contains("not done: severity left at low, set by a person")
                    .contains(
                            "force-manual-approval workflow=refunds (pre-approved at medium and above; INC-1 is low)");
            assertThat(bot.count("select count(*) from containment_run")).isZero();
        }
    }
}
