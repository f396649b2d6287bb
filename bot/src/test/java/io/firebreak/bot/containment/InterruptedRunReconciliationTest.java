package io.firebreak.bot.containment;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A containment call cut short by a kill -9 (the attempt counted, the run running, its answer never recorded) is
 * reconciled when Firebreak runs again: by the action's verify request when the catalog has one (applied: in effect
 * without sending it again; not applied: sent again, same Idempotency-Key), otherwise marked "unknown: may have been
 * applied" and shown to the responder with Retry and Undo, which both work.
 */
class InterruptedRunReconciliationTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String PAUSE = "/workflows/refund-agent/pause";
    static final String RESUME = "/workflows/refund-agent/resume";
    static final String PROMPT = "/prompts/refund-policy";
    static final String ROLLBACK = "/prompts/refund-policy/rollback";
    static final String RESPONDER = "U0RESPOND2";

    final AgentControlStub agent = new AgentControlStub();
    TestBot first;
    TestBot second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        agent.close();
    }

    /**
     * What a kill -9 during the action call leaves: a replica recorded the command (it runs no jobs), then the run is
     * put as the crash leaves it, its attempt counted and its call under way, and the replica is gone.
     */
    private String crashedDuringTheCall(String command, String captured) {
        // A first call on a cold JVM can take longer than the stub's usual 0.5 s; a check that times out is "unknown".
        first = TestBot.start(agent.env("FIREBREAK_RUN_JOBS", "false", "AGENT_CONTROL_TIMEOUT", "PT5S"));
        first.command("open high Refund agent sent wrong refunds");
        assertThat(first.text(first.command(command))).contains("Firing *");
        String runId = latestRunId(first);
        first.db()
                .useHandle(h -> h.execute(
                        "update containment_run set state = 'RUNNING', attempts = 1, started_at = now(),"
                                + " captured = cast(? as json) where id = ?",
                        captured,
                        runId));
        first.firebreak().close();
        Map<String, String> env = new HashMap<>(agent.env("AGENT_CONTROL_TIMEOUT", "PT5S"));
        env.put("DATABASE_URL", first.databaseUrl().jdbcUrl());
        second = TestBot.start(env);
        return runId;
    }

    private List<String> calls(TestBot bot) {
        return Runs.timeline(bot, "INC-1").stream()
                .filter(e -> e.get("kind").equals("containment_call"))
                .map(e -> (String) e.get("details"))
                .toList();
    }

    @Test
    void withAVerifyRequestThatShowsItAppliedTheRunIsInEffectAndNothingIsSentAgain() {
        agent.answer(RequestMethod.GET, PROMPT, okJson("{\"live_version\": \"41\"}"));

        String runId = crashedDuringTheCall(
                "contain INC-1 rollback-prompt prompt=refund-policy version=41 -- bad prompt",
                "{\"previous_version\": \"40\"}");

        awaitState(second, runId, "SUCCEEDED");
        assertThat(agent.calls(RequestMethod.POST, ROLLBACK)).isEmpty();
        assertThat(second.string("select verification from containment_run where id = ?", runId))
                .isEqualTo("CONFIRMED");
        assertThat(second.string("select outcome from containment_run where id = ?", runId))
                .contains("stopped during the call")
                .contains("the check shows it was applied");
        assertThat(second.count("select attempts from containment_run where id = ?", runId))
                .isEqualTo(1);
        List<String> calls = calls(second);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).contains("\"interrupted\":true").contains("\"attempt\":1");
        assertThat(calls.get(1)).contains("\"step\":\"verify\"");
        Runs.await(() -> Runs.kinds(second, "INC-1").contains("phase_changed"), "the incident contained");
    }

    @Test
    void withAVerifyRequestThatShowsItDidNotApplyItIsSentAgainWithTheSameKey() {
        agent.answerFirstThen(
                RequestMethod.GET, PROMPT, okJson("{\"live_version\": \"40\"}"), okJson("{\"live_version\": \"41\"}"));

        String runId = crashedDuringTheCall(
                "contain INC-1 rollback-prompt prompt=refund-policy version=41 -- bad prompt",
                "{\"previous_version\": \"40\"}");

        awaitState(second, runId, "SUCCEEDED");
        assertThat(agent.calls(RequestMethod.POST, ROLLBACK)).hasSize(1);
        assertThat(agent.calls(RequestMethod.POST, ROLLBACK).get(0).getHeader("Idempotency-Key"))
                .isEqualTo(runId);
        assertThat(second.count("select attempts from containment_run where id = ?", runId))
                .isEqualTo(2);
        List<String> calls = calls(second);
        assertThat(calls).hasSize(4);
        assertThat(calls.get(0)).contains("\"interrupted\":true");
        assertThat(calls.get(1)).contains("\"step\":\"verify\"").contains("\"attempt\":1");
        assertThat(calls.get(2)).contains("\"step\":\"action\"").contains("\"attempt\":2");
        assertThat(calls.get(3)).contains("\"step\":\"verify\"").contains("\"attempt\":2");
    }

    @Test
    void aVerifyRequestThatCannotAnswerLeavesTheRunUnknownAndSendsNothing() {
        agent.answer(RequestMethod.GET, PROMPT, com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable());

        String runId = crashedDuringTheCall(
                "contain INC-1 rollback-prompt prompt=refund-policy version=41 -- bad prompt",
                "{\"previous_version\": \"40\"}");

        awaitState(second, runId, "FAILED");
        assertThat(second.string("select verification from containment_run where id = ?", runId))
                .isEqualTo("UNKNOWN");
        assertThat(second.string("select outcome from containment_run where id = ?", runId))
                .contains("the check could not tell")
                .contains("may have been applied");
        assertThat(agent.calls(RequestMethod.POST, ROLLBACK)).isEmpty();
    }

    /** Without a verify request nothing can tell: the responder is shown the run, with Retry and Undo. */
    private String unknownRun() {
        String runId = crashedDuringTheCall("contain INC-1 pause-workflow workflow=refund-agent -- stop it", "{}");
        awaitState(second, runId, "FAILED");
        assertThat(second.string("select verification from containment_run where id = ?", runId))
                .isEqualTo("UNKNOWN");
        assertThat(second.string("select outcome from containment_run where id = ?", runId))
                .startsWith("unknown: ")
                .contains("may have been applied");
        assertThat(agent.calls(RequestMethod.POST, PAUSE))
                .as("never sent again blindly")
                .isEmpty();
        Map<String, String> notice = second.slack()
                .awaitCall(
                        "chat.postMessage",
                        call -> String.valueOf(call.get("blocks")).contains("containment_retry"));
        assertThat(notice.get("blocks"))
                .contains("may have been applied")
                .contains("containment_undo")
                .contains(runId);
        second.slack()
                .awaitCall(
                        "chat.update",
                        call -> String.valueOf(call.get("blocks")).contains("unknown: may have been applied")
                                && String.valueOf(call.get("blocks")).contains("containment_retry"));
        return runId;
    }

    @Test
    void withoutAVerifyRequestTheRunIsUnknownAndRetrySendsItAgainWithTheSameKey() {
        String runId = unknownRun();

        second.postSigned(
                Interactions.buttonClick("containment_retry", runId, RESPONDER, TestBot.CHANNEL, "1503435956.000300"),
                FORM);

        awaitState(second, runId, "SUCCEEDED");
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
        assertThat(agent.calls(RequestMethod.POST, PAUSE).get(0).getHeader("Idempotency-Key"))
                .isEqualTo(runId);
        assertThat(second.count("select attempts from containment_run where id = ?", runId))
                .isEqualTo(2);
        assertThat(Runs.kinds(second, "INC-1")).contains("containment_retried");
        assertThat(second.string(
                        "select actor from timeline_event where kind = 'containment_retried' and incident_id = 1"))
                .isEqualTo(RESPONDER);

        // Once known, there is nothing to retry.
        second.postSigned(
                Interactions.buttonClick("containment_retry", runId, RESPONDER, TestBot.CHANNEL, "1503435956.000300"),
                FORM);
        assertThat(second.slack()
                        .awaitCall(
                                "chat.postEphemeral",
                                call -> String.valueOf(call.get("text")).contains("nothing to retry"))
                        .get("text"))
                .contains(runId);
        JobQueue.awaitSettled(second);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
    }

    @Test
    void withoutAVerifyRequestTheRunIsUnknownAndUndoLiftsIt() {
        String runId = unknownRun();

        second.postSigned(
                Interactions.buttonClick("containment_undo", runId, RESPONDER, TestBot.CHANNEL, "1503435956.000300"),
                FORM);
        assertThat(second.slack()
                        .json(second.slack().awaitCalls("views.open", 1).get(0).get("view"))
                        .path("private_metadata")
                        .asText())
                .isEqualTo(runId);
        second.postSigned(
                Interactions.viewSubmission(
                        "containment_undo_reason",
                        "V0UNDO02",
                        runId,
                        RESPONDER,
                        Map.of("reason", Interactions.text("not sure it paused; lift it"))),
                FORM);

        awaitState(second, runId, "UNDONE");
        assertThat(agent.calls(RequestMethod.POST, RESUME)).hasSize(1);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();
    }
}
