package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.TestBot;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No action run waits for ever on a job that was given up. (A call cut short by a crash: {@code
 * InterruptedRunReconciliationTest}.)
 */
class GivenUpAndInterruptedRunsTest {
    static final String PAUSE = "/workflows/refund-agent/pause";
    static final String CONTAIN = "contain INC-1 pause-workflow workflow=refund-agent -- stop it";

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

    /** A replica that records the command but runs no jobs, stopped before any call is made. */
    private String queuedRun() {
        first = TestBot.start(agent.env("FIREBREAK_RUN_JOBS", "false"));
        first.command("open high Refund agent sent wrong refunds");
        assertThat(first.text(first.command(CONTAIN))).contains("Firing *Pause workflow*");
        return latestRunId(first);
    }

    private TestBot restartOnSameDatabase() {
        first.firebreak().close();
        Map<String, String> env = new HashMap<>(agent.env());
        env.put("DATABASE_URL", first.databaseUrl().jdbcUrl());
        second = TestBot.start(env);
        return second;
    }

    @Test
    void aJobThatExhaustsItsRetriesFailsTheRunAndFreesTheTarget() {
        String runId = queuedRun();
        // The database refuses to start the call, every time, as a broken disk or a bad migration would; and the job
        // has already failed seven times, so this failure is its last.
        first.db().useHandle(h -> h.execute("""
                create function refuse_running() returns trigger language plpgsql as $$
                begin raise exception 'simulated storage fault'; end $$;
                create trigger refuse_running before update on containment_run
                for each row when (new.state = 'RUNNING') execute function refuse_running();
                """));
        first.db()
                .useHandle(h -> h.execute(
                        "update scheduled_tasks set consecutive_failures = 7 where task_instance = ?", runId));

        TestBot bot = restartOnSameDatabase();

        awaitState(bot, runId, "FAILED");
        assertThat(bot.string("select outcome from containment_run where id = ?", runId))
                .contains("gave up after 8 failed tries")
                .contains("may have reached the target");
        Runs.await(() -> Runs.kinds(bot, "INC-1").contains("containment_failed"), "the failure on the timeline");
        bot.slack()
                .awaitCall(
                        "chat.postMessage",
                        call -> String.valueOf(call.get("blocks")).contains("gave up after 8"));
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).isEmpty();

        // The target is free: the same action fires again once storage works.
        bot.db().useHandle(h -> h.execute("drop trigger refuse_running on containment_run"));
        assertThat(bot.text(bot.command(CONTAIN))).contains("Firing *Pause workflow*");
        String again = latestRunId(bot);
        assertThat(again).isNotEqualTo(runId);
        awaitState(bot, again, "SUCCEEDED");
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
    }
}
