package io.firebreak.bot.containment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /incident contain} end to end against WireMock as the agent control API: the call, its retries and
 * failures, what the thread, the card and the timeline say, and that nothing secret leaks.
 */
class ContainCommandTest {
    static final String PAUSE = "/workflows/refund-agent/pause";
    static final RequestMethod POST = RequestMethod.POST;

    AgentControlStub agent;
    TestBot bot;

    @BeforeEach
    void start() {
        agent = new AgentControlStub();
        bot = TestBot.start(agent.env());
    }

    @AfterEach
    void stop() {
        bot.close();
        agent.close();
    }

    private String fire(String key) {
        return bot.text(bot.command(
                "contain " + key + " pause-workflow workflow=refund-agent -- refunds going to the wrong customers"));
    }

    @Test
    void aPreApprovedActionIsCalledOnceAndContainsTheIncident() throws Exception {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        String answer = fire(key);

        assertThat(answer).contains("Firing *Pause workflow* `workflow=refund-agent` on " + key + " now");
        String runId = latestRunId(bot);
        assertThat(answer).contains(runId);
        LoggedRequest call = agent.awaitCalls(POST, PAUSE, 1).get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + AgentControlStub.TOKEN);
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo(runId);
        assertThat(json(call.getBodyAsString()))
                .isEqualTo(
                        json("{\"incident\": \"" + key + "\", \"reason\": \"refunds going to the wrong customers\"}"));
        awaitState(bot, runId, "SUCCEEDED");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("CONTAINED");
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .isEqualTo("accepted by the agent control API (200)");

        List<String> kinds = Runs.kinds(bot, key);
        assertThat(kinds)
                .containsSubsequence(
                        "opened",
                        "containment_requested",
                        "containment_call",
                        "containment_succeeded",
                        "phase_changed");
        JsonNode phase = json((String)
                Runs.timeline(bot, key).get(kinds.indexOf("phase_changed")).get("details"));
        assertThat(phase.path("from").asText()).isEqualTo("DETECTED");
        assertThat(phase.path("to").asText()).isEqualTo("CONTAINED");
        assertThat(phase.path("reason").asText()).isEqualTo("Pause workflow (" + runId + ") took effect");
        JsonNode exchange = json((String) Runs.timeline(bot, key)
                        .get(kinds.indexOf("containment_call"))
                        .get("details"))
                .path("exchange");
        assertThat(exchange.path("request").path("url").asText())
                .isEqualTo(agent.wiremock().baseUrl() + PAUSE);
        assertThat(exchange.path("request")
                        .path("headers")
                        .path("Authorization")
                        .asText())
                .isEqualTo("[REDACTED]");
        assertThat(exchange.path("request")
                        .path("headers")
                        .path("Idempotency-Key")
                        .asText())
                .isEqualTo(runId);
        assertThat(exchange.path("response").path("status").asInt()).isEqualTo(200);
        assertThat(exchange.path("response").path("body").asText()).isEqualTo("{\"ok\": true}");
        assertThat(exchange.has("elapsed_ms")).isTrue();

        // The outcome goes to the card's thread, in words, with an Undo button.
        Map<String, String> notice = awaitPost(p -> p.getOrDefault("text", "").contains("Pause workflow in effect")
                || p.getOrDefault("blocks", "").contains("is in effect"));
        assertThat(notice.get("thread_ts")).isEqualTo("1503435956.000247");
        assertThat(blocks(notice))
                .contains("is in effect on " + key + ": accepted by the agent control API (200).")
                .contains("\"action_id\":\"containment_undo\"")
                .contains("\"value\":\"" + runId + "\"");
        // The card shows what is in effect, since when and who fired it.
        Runs.await(
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks").contains("in effect since")),
                "the card to show the containment");
        String card = bot.slack().calls("chat.update").stream()
                .map(this::blocks)
                .filter(b -> b.contains("in effect since"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(card)
                .contains("Pause workflow")
                .contains("fired by <@" + TestBot.USER + ">")
                .contains(runId)
                .contains("contained");
        assertThat(agent.calls(POST, PAUSE)).hasSize(1);
    }

    @Test
    void serverErrorThenSuccessRetriesWithTheSameIdempotencyKey() {
        agent.answerFirstThen(
                POST,
                PAUSE,
                aResponse().withStatus(500).withBody("{\"error\": \"database busy\"}"),
                okJson("{\"ok\": true}"));
        String key = Runs.open(bot, "critical", "Refund agent sent wrong refunds");

        fire(key);

        String runId = latestRunId(bot);
        List<LoggedRequest> calls = agent.awaitCalls(POST, PAUSE, 2);
        awaitState(bot, runId, "SUCCEEDED");
        assertThat(calls).extracting(c -> c.getHeader("Idempotency-Key")).containsExactly(runId, runId);
        assertThat(bot.count("select attempts from containment_run where id = ?", runId))
                .isEqualTo(2);
        List<String> outcomes = callOutcomes(key);
        assertThat(outcomes).containsExactly("SERVER_ERROR", "NONE");
        assertThat(agent.calls(POST, PAUSE)).hasSize(2);
    }

    @Test
    void aTimeoutIsRetried() {
        agent.answerFirstThen(POST, PAUSE, okJson("{\"ok\": true}").withFixedDelay(2000), okJson("{\"ok\": true}"));
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        fire(key);

        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");
        assertThat(callOutcomes(key)).containsExactly("TIMEOUT", "NONE");
        assertThat(agent.calls(POST, PAUSE)).hasSize(2);
    }

    @Test
    void aConnectionResetIsRetried() {
        agent.answerFirstThen(
                POST, PAUSE, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), okJson("{\"ok\": true}"));
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        fire(key);

        awaitState(bot, latestRunId(bot), "SUCCEEDED");
        assertThat(callOutcomes(key)).containsExactly("CONNECTION", "NONE");
    }

    @Test
    void rejectedCredentialsFailAtOnceAndTheThreadSaysWhy() {
        agent.answer(POST, PAUSE, aResponse().withStatus(401).withBody("{\"error\": \"invalid token\"}"));
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        fire(key);

        String runId = latestRunId(bot);
        awaitState(bot, runId, "FAILED");
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .isEqualTo("credentials rejected by the agent control API (401)");
        Map<String, String> notice = awaitPost(p -> p.getOrDefault("blocks", "").contains("failed on"));
        assertThat(blocks(notice))
                .contains("*Pause workflow* `workflow=refund-agent` failed on " + key
                        + ": credentials rejected by the agent control API (401). Nothing was contained by this action")
                .doesNotContain("containment_undo");
        JobQueue.awaitSettled(bot);
        assertThat(agent.calls(POST, PAUSE)).hasSize(1);
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
    }

    @Test
    void rateLimitingIsHonouredWithRetryAfter() {
        agent.answerFirstThen(
                POST, PAUSE, aResponse().withStatus(429).withHeader("Retry-After", "2"), okJson("{\"ok\": true}"));
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        fire(key);

        List<LoggedRequest> calls = agent.awaitCalls(POST, PAUSE, 2);
        awaitState(bot, latestRunId(bot), "SUCCEEDED");
        Duration between = Duration.between(
                calls.get(0).getLoggedDate().toInstant(),
                calls.get(1).getLoggedDate().toInstant());
        assertThat(between).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        JsonNode first = firstCall(key);
        assertThat(first.path("exchange").path("outcome").asText()).isEqualTo("RATE_LIMITED");
        assertThat(first.path("exchange").path("retry_after_seconds").asInt()).isEqualTo(2);
        assertThat(first.has("next_attempt_at")).isTrue();
    }

    @Test
    void retriesAreBoundedAndTheFailureNamesTheAttempts() {
        agent.answer(POST, PAUSE, aResponse().withStatus(503));
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        fire(key);

        String runId = latestRunId(bot);
        awaitState(bot, runId, "FAILED");
        assertThat(agent.calls(POST, PAUSE)).hasSize(5);
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .isEqualTo("the agent control API failed (503), after 5 attempts");
        JobQueue.awaitSettled(bot);
        assertThat(agent.calls(POST, PAUSE)).hasSize(5);
    }

    @Test
    void aDryRunShowsTheExactRequestWithoutSecretsAndSendsNothing() {
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");

        String answer = bot.text(bot.command(
                "contain " + key + " pause-workflow workflow=refund-agent --dry-run -- wrong refunds & more"));

        assertThat(answer)
                .contains("*Dry run* of *Pause workflow* on " + key + ": nothing was sent and nothing was recorded")
                .contains("pre-approved at high and above and " + key
                        + " is medium, so an approver would have to agree first")
                .contains("POST " + agent.wiremock().baseUrl() + PAUSE)
                .contains("Authorization: [REDACTED]")
                .contains("Idempotency-Key: (a new action run id)")
                .contains("{\"incident\":\"" + key + "\",\"reason\":\"wrong refunds &amp; more\"}")
                .contains("Undo would send:")
                .contains("POST " + agent.wiremock().baseUrl() + "/workflows/refund-agent/resume")
                .doesNotContain(AgentControlStub.TOKEN);
        JobQueue.awaitSettled(bot);
        assertThat(agent.all()).isEmpty();
        assertThat(bot.count("select count(*) from containment_run")).isZero();
        assertThat(Runs.kinds(bot, key)).containsExactly("opened");
    }

    @Test
    void aDryRunOfAnActionThatKeepsValuesShowsTheReadFirst() {
        String key = Runs.open(bot, "high", "Prompt regression");

        String answer =
                bot.text(bot.command("contain " + key + " rollback-prompt prompt=refund-policy version=41 --dry-run"));

        assertThat(answer)
                .contains("so it would run at once")
                .contains("First it reads what the undo will need:")
                .contains("GET " + agent.wiremock().baseUrl() + "/prompts/refund-policy")
                .contains("{\"to_version\":\"41\"")
                .contains("{\"to_version\":\"(read before firing)\"");
        JobQueue.awaitSettled(bot);
        assertThat(agent.all()).isEmpty();
    }

    @Test
    void badInputIsRefusedClearlyAndWritesNothing() {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");

        assertThat(bot.text(bot.command("contain " + key + " pause-everything workflow=x")))
                .contains(
                        "`pause-everything` is not a containment action; use one of pause-workflow, disable-write-tools, "
                                + "force-manual-approval, rollback-prompt, remove-knowledge-source")
                .contains("Usage: `/incident contain INC-<n> <action> key=value … [--dry-run] [-- reason]`");
        assertThat(bot.text(bot.command("contain " + key + " pause-workflow")))
                .contains("workflow is required: The workflow's id on the agent platform");
        assertThat(bot.text(bot.command("contain " + key + " pause-workflow workflow=../../admin")))
                .contains("workflow must match [A-Za-z0-9][A-Za-z0-9._:-]{0,127} (e.g. refund-agent)");
        assertThat(bot.text(bot.command("contain " + key + " pause-workflow workflow=a colour=red")))
                .contains("colour is not a parameter of pause-workflow; it takes workflow");
        assertThat(bot.text(bot.command("contain " + key + " pause-workflow workflow=a please")))
                .contains("`please` is not a parameter: give parameters as key=value, and put the reason after --.");
        assertThat(bot.text(bot.command("contain INC-99 pause-workflow workflow=a")))
                .contains("There is no incident INC-99");
        assertThat(bot.text(bot.command("contain pause-workflow workflow=a"))).contains("Say which incident");

        JobQueue.awaitSettled(bot);
        assertThat(bot.count("select count(*) from containment_run")).isZero();
        assertThat(Runs.kinds(bot, key)).containsExactly("opened");
        assertThat(agent.all()).isEmpty();
    }

    @Test
    void withoutAnActionTheCommandListsTheCatalogForThisIncident() {
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");

        String answer = bot.text(bot.command("contain " + key));

        assertThat(answer)
                .contains("*Containment actions* for " + key + " (severity medium)")
                .contains("`pause-workflow workflow=…` Pause workflow")
                .contains("needs an approver, pre-approved at high and above")
                .contains("`force-manual-approval workflow=…`")
                .contains("runs at once, pre-approved at medium and above")
                .contains("`rollback-prompt prompt=… version=…`")
                .contains("Example: `/incident contain " + key
                        + " pause-workflow workflow=refund-agent -- stop the blast radius`");
    }

    @Test
    void firingTheSameActionTwiceOnTheSameTargetMakesOneCall() {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
        fire(key);
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");

        String second = fire(key);

        assertThat(second)
                .contains("Pause workflow `workflow=refund-agent` is already in effect on " + key + " (run " + runId);
        JobQueue.awaitSettled(bot);
        assertThat(agent.calls(POST, PAUSE)).hasSize(1);
        assertThat(bot.count("select count(*) from containment_run")).isEqualTo(1);
    }

    @Test
    void undoCallsTheUndoRequestAndLiftsTheContainment() {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
        fire(key);
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");
        Runs.await(
                () -> bot.count("select count(*) from containment_run where outcome_ts is not null") == 1,
                "the outcome message");

        String answer = bot.text(bot.command("undo " + key + " " + runId + " -- fixed in v42"));

        assertThat(answer).contains("Undoing *Pause workflow* on " + key + " (run `" + runId + "`)");
        LoggedRequest undo =
                agent.awaitCalls(POST, "/workflows/refund-agent/resume", 1).get(0);
        assertThat(undo.getHeader("Idempotency-Key")).isEqualTo(runId + "-undo-1");
        assertThat(json(undo.getBodyAsString()).path("reason").asText()).isEqualTo("fixed in v42");
        awaitState(bot, runId, "UNDONE");
        Map<String, String> lifted = awaitPost(p -> p.getOrDefault("blocks", "").contains("is lifted"));
        assertThat(blocks(lifted))
                .contains("is lifted on " + key + ": accepted by the agent control API (200). Undone by <@"
                        + TestBot.USER + ">")
                .contains("fixed in v42");
        // The outcome message loses its Undo button.
        Runs.await(
                () -> bot.slack().calls("chat.update").stream()
                        .anyMatch(u -> u.get("blocks").contains("then undone by")),
                "the outcome message to show the undo");
        assertThat(bot.slack().calls("chat.update").stream()
                        .map(this::blocks)
                        .filter(b -> b.contains("then undone by"))
                        .findFirst()
                        .orElseThrow())
                .doesNotContain("containment_undo");
        assertThat(Runs.kinds(bot, key))
                .containsSubsequence("containment_undo_requested", "containment_call", "containment_undone");

        assertThat(bot.text(bot.command("undo " + key + " " + runId)))
                .contains("cannot be undone: it was already undone by <@" + TestBot.USER + ">");
        assertThat(bot.text(bot.command("undo " + key + " ca-nosuchrun")))
                .contains(key + " has no action run ca-nosuchrun in effect");
        JobQueue.awaitSettled(bot);
        assertThat(agent.calls(POST, "/workflows/refund-agent/resume")).hasSize(1);
    }

    @Test
    void undoByActionNameWorksWhenOneRunOfItIsInEffect() {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
        fire(key);
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");

        bot.command("undo " + key + " pause-workflow");

        awaitState(bot, runId, "UNDONE");
        assertThat(agent.calls(POST, "/workflows/refund-agent/resume")).hasSize(1);
    }

    @Test
    void aFailedUndoLeavesTheContainmentInEffectAndCanBeAskedForAgain() {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
        fire(key);
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");
        agent.answerFirstThen(
                POST, "/workflows/refund-agent/resume", aResponse().withStatus(403), okJson("{\"ok\": true}"));

        bot.command("undo " + key + " " + runId + " -- fixed");

        Runs.await(
                () -> "FAILED".equals(bot.string("select undo_state from containment_run where id = ?", runId)),
                "the undo to fail");
        assertThat(Runs.state(bot, runId)).isEqualTo("SUCCEEDED");
        assertThat(bot.string("select undo_outcome from containment_run where id = ?", runId))
                .isEqualTo("credentials rejected by the agent control API (403)");
        Map<String, String> notice = awaitPost(p -> p.getOrDefault("blocks", "").contains("The undo of"));
        assertThat(blocks(notice))
                .contains(
                        "failed: credentials rejected by the agent control API (403). The containment is still in effect")
                .contains("containment_undo");

        bot.command("undo " + key + " " + runId + " -- fixed, token rotated");

        awaitState(bot, runId, "UNDONE");
        assertThat(agent.calls(POST, "/workflows/refund-agent/resume"))
                .extracting(c -> c.getHeader("Idempotency-Key"))
                .containsExactly(runId + "-undo-1", runId + "-undo-2");
    }

    @Test
    void whenTheValueTheUndoNeedsCannotBeReadNothingIsChanged() {
        agent.answer(RequestMethod.GET, "/prompts/refund-policy", okJson("{\"versions\": [40, 41]}"));
        String key = Runs.open(bot, "high", "Prompt regression");

        bot.command("contain " + key + " rollback-prompt prompt=refund-policy version=41");

        String runId = latestRunId(bot);
        awaitState(bot, runId, "FAILED");
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .isEqualTo(
                        "could not read what the undo will need: the answer of the agent control API has no /live_version; nothing was changed");
        assertThat(agent.calls(POST, "/prompts/refund-policy/rollback")).isEmpty();
    }

    @Test
    void rollbackKeepsTheVersionLiveBeforeAndTheUndoRestoresIt() {
        agent.answerFirstThen(
                RequestMethod.GET,
                "/prompts/refund-policy",
                okJson("{\"live_version\": \"40\"}"),
                okJson("{\"live_version\": \"41\"}"));
        String key = Runs.open(bot, "high", "Prompt regression");

        bot.command("contain " + key + " rollback-prompt prompt=refund-policy version=41 -- v42 promises refunds");
        String runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");

        assertThat(json(agent.calls(POST, "/prompts/refund-policy/rollback")
                                .get(0)
                                .getBodyAsString())
                        .path("to_version")
                        .asText())
                .isEqualTo("41");
        assertThat(bot.string("select verification from containment_run where id = ?", runId))
                .isEqualTo("CONFIRMED");
        assertThat(bot.string("select captured::text from containment_run where id = ?", runId))
                .contains("\"previous_version\":\"40\"");
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .isEqualTo("accepted by the agent control API (200), and the check confirms it took effect");

        bot.command("undo " + key + " " + runId + " -- fixed");
        awaitState(bot, runId, "UNDONE");
        List<LoggedRequest> rollbacks = agent.calls(POST, "/prompts/refund-policy/rollback");
        assertThat(rollbacks).hasSize(2);
        assertThat(json(rollbacks.get(1).getBodyAsString()).path("to_version").asText())
                .isEqualTo("40");
    }

    @Test
    void aCheckThatContradictsTheCallFailsTheRunButAllowsTheUndo() {
        agent.answer(RequestMethod.GET, "/prompts/refund-policy", okJson("{\"live_version\": \"40\"}"));
        String key = Runs.open(bot, "high", "Prompt regression");

        bot.command("contain " + key + " rollback-prompt prompt=refund-policy version=41");

        String runId = latestRunId(bot);
        awaitState(bot, runId, "FAILED");
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .isEqualTo(
                        "accepted by the agent control API (200), but the check shows it did not take effect: /live_version is \"40\", expected \"41\"");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
        Map<String, String> notice = awaitPost(p -> p.getOrDefault("blocks", "").contains("failed on"));
        assertThat(blocks(notice))
                .contains("The call was accepted, so Undo may be needed")
                .contains("containment_undo");
    }

    @Test
    void nothingSecretReachesTheTimelineOrSlack() {
        agent.answer(POST, PAUSE, okJson("{\"echo\": \"Bearer " + AgentControlStub.TOKEN + "\"}"));
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
        fire(key);
        awaitState(bot, latestRunId(bot), "SUCCEEDED");
        awaitPost(p -> p.getOrDefault("blocks", "").contains("is in effect"));

        String timeline = String.join(
                "\n",
                Runs.timeline(bot, key).stream()
                        .map(e -> (String) e.get("details"))
                        .toList());
        assertThat(timeline).doesNotContain(AgentControlStub.TOKEN).contains("[REDACTED]");
        assertThat(bot.slack().wiremock().getAllServeEvents())
                .allSatisfy(e -> assertThat(e.getRequest().getBodyAsString()).doesNotContain(AgentControlStub.TOKEN));
        assertThat(bot.json(bot.api("/api/incidents/" + key)).toString()).doesNotContain(AgentControlStub.TOKEN);
    }

    @Test
    void anUnconfiguredTargetIsRefusedNamingTheVariables() {
        try (TestBot unconfigured = TestBot.start(Map.of("FIREBREAK_ACTIONS", AgentControlStub.SHIPPED_CATALOG))) {
            unconfigured.command("open high Refund agent sent wrong refunds");

            assertThat(unconfigured.text(unconfigured.command("contain INC-1 pause-workflow workflow=refund-agent")))
                    .contains(
                            "Pause workflow cannot run: the agent control API is not configured: set AGENT_CONTROL_URL and AGENT_CONTROL_TOKEN.");
            assertThat(unconfigured.count("select count(*) from containment_run"))
                    .isZero();
        }
    }

    /** A posted message's blocks as JSON text without Gson's escapes. */
    private String blocks(Map<String, String> call) {
        return json(call.get("blocks")).toString();
    }

    private JsonNode json(String text) {
        return bot.slack().json(text);
    }

    private List<String> callOutcomes(String key) {
        return Runs.timeline(bot, key).stream()
                .filter(e -> e.get("kind").equals("containment_call"))
                .map(e -> json((String) e.get("details"))
                        .path("exchange")
                        .path("outcome")
                        .asText())
                .toList();
    }

    private JsonNode firstCall(String key) {
        return Runs.timeline(bot, key).stream()
                .filter(e -> e.get("kind").equals("containment_call"))
                .map(e -> json((String) e.get("details")))
                .findFirst()
                .orElseThrow();
    }

    private Map<String, String> awaitPost(java.util.function.Predicate<Map<String, String>> matching) {
        Runs.await(
                () -> bot.slack().calls("chat.postMessage").stream().anyMatch(matching), "a matching chat.postMessage");
        return bot.slack().calls("chat.postMessage").stream()
                .filter(matching)
                .findFirst()
                .orElseThrow();
    }
}
