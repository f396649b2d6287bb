package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static io.firebreak.bot.testing.Interactions.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A fired action survives a restart and is called exactly once, and two replicas given the same click call once. */
class DurableContainmentTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String PAUSE = "/workflows/refund-agent/pause";

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

    private Map<String, String> sameDatabase(TestBot other, String... extra) {
        Map<String, String> env = new HashMap<>(agent.env(extra));
        env.put("DATABASE_URL", other.databaseUrl().jdbcUrl());
        return env;
    }

    @Test
    void aRestartBetweenTheClickAndTheCallMakesTheCallExactlyOnceAfterwards() {
        // This replica acks and records the click but runs no jobs, so it stops before the call is made.
        first = TestBot.start(agent.env("FIREBREAK_RUN_JOBS", "false"));
        first.command("open high Refund agent sent wrong refunds");
        String answer = first.text(first.command("contain INC-1 pause-workflow workflow=refund-agent -- stop it"));
        assertThat(answer).contains("Firing *Pause workflow*");
        String runId = latestRunId(first);
        SlackApiStub.sleep(1500);
        assertThat(agent.all()).isEmpty();
        assertThat(Runs.state(first, runId)).isEqualTo("QUEUED");
        first.firebreak().close();

        second = TestBot.start(sameDatabase(first));

        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
        awaitState(second, runId, "SUCCEEDED");
        second.restart();
        JobQueue.awaitSettled(second);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
        assertThat(agent.calls(RequestMethod.POST, PAUSE).get(0).getHeader("Idempotency-Key"))
                .isEqualTo(runId);
        assertThat(second.count("select attempts from containment_run where id = ?", runId))
                .isEqualTo(1);
        assertThat(second.string("select phase from incident where id = 1")).isEqualTo("CONTAINED");
    }

    @Test
    void twoReplicasReceivingTheSameModalSubmissionMakeOneCall() throws Exception {
        first = TestBot.start(agent.env());
        second = TestBot.start(sameDatabase(first));
        Runs.open(first, "critical", "Refund agent sent wrong refunds");
        String submission = Interactions.viewSubmission(
                "containment_fire",
                "V0SAME001",
                "{\"incident\":\"INC-1\",\"action\":\"pause-workflow\"}",
                TestBot.USER,
                Map.of("param_workflow", text("refund-agent"), "reason", text("stop it")));

        CompletableFuture<HttpResponse<String>> one =
                CompletableFuture.supplyAsync(() -> first.postSigned(submission, FORM));
        CompletableFuture<HttpResponse<String>> two =
                CompletableFuture.supplyAsync(() -> second.postSigned(submission, FORM));

        assertThat(one.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(two.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
        awaitState(first, latestRunId(first), "SUCCEEDED");
        JobQueue.awaitSettled(first);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
        assertThat(first.count("select count(*) from containment_run")).isEqualTo(1);
        assertThat(Runs.kinds(first, "INC-1"))
                .filteredOn(k -> k.equals("containment_requested"))
                .hasSize(1);
    }

    @Test
    void twoReplicasReceivingTheSameApprovalClickMakeOneCall() throws Exception {
        // Approvers are named: unset, only responders approve (fail closed).
        first = TestBot.start(agent.env("FIREBREAK_APPROVERS", "U0APPROVE1"));
        second = TestBot.start(sameDatabase(first, "FIREBREAK_APPROVERS", "U0APPROVE1"));
        Runs.open(first, "low", "Agent drafted a wrong answer");
        first.command("contain INC-1 pause-workflow workflow=refund-agent -- before it reaches customers");
        String runId = latestRunId(first);
        String click = Interactions.buttonClick(
                "containment_approve", runId, "U0APPROVE1", TestBot.CHANNEL, "1503435956.000300");

        CompletableFuture<HttpResponse<String>> one =
                CompletableFuture.supplyAsync(() -> first.postSigned(click, FORM));
        CompletableFuture<HttpResponse<String>> two =
                CompletableFuture.supplyAsync(() -> second.postSigned(click, FORM));

        assertThat(one.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(two.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        agent.awaitCalls(RequestMethod.POST, PAUSE, 1);
        awaitState(first, runId, "SUCCEEDED");
        JobQueue.awaitSettled(first);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
        assertThat(Runs.kinds(first, "INC-1"))
                .filteredOn(k -> k.equals("containment_approved"))
                .hasSize(1);
    }
}
