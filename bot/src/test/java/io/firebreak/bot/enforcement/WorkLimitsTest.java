package io.firebreak.bot.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firebreak.bot.platform.config.ConfigException;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-user and per-workspace limits on Slack-triggered changes, shared by two replicas through the database: a
 * request over a limit gets the limit and how long to wait, and writes and sends nothing; reads go on.
 */
class WorkLimitsTest {
    static final String OTHER_RESPONDER = "U024BE7LH";
    static final String THIRD_RESPONDER = "U0RESPOND2";

    /** The windows are whole minutes: start well inside one, so the test's requests share it. */
    private static void awaitFreshMinute() throws InterruptedException {
        int second = LocalTime.now(ZoneOffset.UTC).getSecond();
        if (second > 40) {
            Thread.sleep((61 - second) * 1000L);
        }
    }

    private static long timeline(TestBot bot) {
        return bot.count("select count(*) from timeline_event");
    }

    @Test
    void twoReplicasShareOnePersonsLimitAndTheRefusalSaysHowLongToWait() throws Exception {
        try (TestBot first = TestBot.start(Map.of("FIREBREAK_USER_LIMIT", "3"));
                TestBot second = first.replica()) {
            awaitFreshMinute();
            assertThat(first.text(first.command("open high Refund agent sent wrong refunds")))
                    .contains("INC-1");
            assertThat(second.text(second.command("note INC-1 refunds paused by hand")))
                    .contains("Note added");
            assertThat(first.text(first.command("note INC-1 finance told"))).contains("Note added");
            JobQueue.awaitSettled(first);
            long events = timeline(first);
            int slackCalls = first.slack().wiremock().getAllServeEvents().size();

            String refused = second.text(second.command("note INC-1 one too many"));
            String refusedToo = first.text(first.command("sev INC-1 critical 300 customers"));

            assertThat(refused)
                    .contains("You have started 3 changes in the last minute")
                    .containsPattern("Wait \\d+ seconds? and try again")
                    .contains("nothing was changed");
            assertThat(refusedToo).contains("You have started 3 changes");
            JobQueue.awaitSettled(first);
            assertThat(timeline(first)).isEqualTo(events);
            assertThat(first.string("select severity from incident where id = 1"))
                    .isEqualTo("HIGH");
            assertThat(first.slack().wiremock().getAllServeEvents()).hasSize(slackCalls);
            // Reading is not limited, and someone else still may act.
            assertThat(second.text(second.command("show INC-1"))).contains("Refund agent sent wrong refunds");
            assertThat(first.text(first.command("note INC-1 on it", OTHER_RESPONDER, TestBot.CHANNEL)))
                    .contains("Note added");
            assertThat(timeline(first)).isEqualTo(events + 1);
        }
    }

    @Test
    void aWorkspaceLimitCountsEveryoneInItAcrossReplicas() throws Exception {
        try (TestBot first = TestBot.start(Map.of("FIREBREAK_WORKSPACE_LIMIT", "3"));
                TestBot second = first.replica()) {
            awaitFreshMinute();
            first.command("open high Refund agent sent wrong refunds");
            second.command("note INC-1 paused", OTHER_RESPONDER, TestBot.CHANNEL);
            first.command("note INC-1 finance told", THIRD_RESPONDER, TestBot.CHANNEL);
            long events = timeline(first);

            String refused = second.text(second.command("note INC-1 a fourth", THIRD_RESPONDER, TestBot.CHANNEL));

            assertThat(refused)
                    .contains("This workspace has started 3 changes in the last minute")
                    .contains("nothing was changed");
            assertThat(timeline(first)).isEqualTo(events);
            // The refused request took no place in its user's own count either.
            assertThat(first.count("select count from work_window where subject = ?", "user:" + THIRD_RESPONDER))
                    .isEqualTo(1);
        }
    }

    @Test
    void limitsThatAreNotWholeNumbersStopTheStartNamingTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(
                        "FIREBREAK_USER_LIMIT",
                        "lots",
                        "FIREBREAK_WORKSPACE_LIMIT",
                        "0",
                        "FIREBREAK_MIN_REQUEST_RATE",
                        "-5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FIREBREAK_USER_LIMIT must be a whole number of changes per user per minute")
                .hasMessageContaining("FIREBREAK_WORKSPACE_LIMIT must be a whole number")
                .hasMessageContaining("FIREBREAK_MIN_REQUEST_RATE must be a whole number of bytes per second")
                .hasMessageNotContaining("lots");
    }
}
