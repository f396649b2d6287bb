package io.firebreak.bot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.platform.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code bench/run}'s environment variables: defaults, and a line naming each variable that is wrong. */
class BenchSettingsTest {

    @Test
    void withNothingSetItRunsEveryKindForAMinuteAt200PerSecondOn8Connections() {
        List<String> problems = new ArrayList<>();
        BenchRun.Settings settings = BenchRun.Settings.from(Map.of(), problems).orElseThrow();

        assertThat(problems).isEmpty();
        assertThat(settings.extras()).isTrue();
        assertThat(settings.load())
                .isEqualTo(new LoadBench.Settings(
                        Duration.ofSeconds(60),
                        EnumSet.allOf(LoadKind.class),
                        200,
                        8,
                        Duration.ZERO,
                        0,
                        Config.defaultJobThreads(),
                        false));
        assertThat(settings.load().phase()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void chosenKindsAndDurationsAreUsed() {
        List<String> problems = new ArrayList<>();
        BenchRun.Settings settings = BenchRun.Settings.from(
                        Map.of(
                                "BENCH_SECONDS",
                                "240",
                                "BENCH_KINDS",
                                "open, note-modal",
                                "BENCH_SLACK_MS",
                                "100",
                                "BENCH_SLACK_FAIL_EVERY",
                                "5",
                                "BENCH_EXTRAS",
                                "false",
                                "BENCH_JOB_THREADS",
                                "1",
                                "BENCH_FSYNC",
                                "on"),
                        problems)
                .orElseThrow();

        assertThat(settings.load().kinds()).containsExactly(LoadKind.OPEN, LoadKind.NOTE_MODAL);
        assertThat(settings.load().phase()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.load().fsync()).isTrue();
        assertThat(settings.load().slackLatency()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.load().slackFailEvery()).isEqualTo(5);
        assertThat(settings.load().jobThreads()).isEqualTo(1);
        assertThat(settings.extras()).isFalse();
    }

    @Test
    void eachWrongVariableIsNamedAndNothingRuns() {
        List<String> problems = new ArrayList<>();
        Optional<BenchRun.Settings> settings = BenchRun.Settings.from(
                Map.of(
                        "BENCH_SECONDS",
                        "0",
                        "BENCH_RATE",
                        "fast",
                        "BENCH_SLACK_MS",
                        "-5",
                        "BENCH_SLACK_FAIL_EVERY",
                        "often",
                        "BENCH_KINDS",
                        "open,close",
                        "BENCH_EXTRAS",
                        "yes",
                        "BENCH_JOB_THREADS",
                        "0",
                        "BENCH_FSYNC",
                        "sometimes"),
                problems);

        assertThat(settings).isEmpty();
        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "BENCH_SECONDS: must be a whole number, at least 1",
                        "BENCH_RATE: must be a whole number, at least 1",
                        "BENCH_SLACK_MS: must be a whole number, at least 0",
                        "BENCH_SLACK_FAIL_EVERY: must be a whole number, at least 0",
                        "BENCH_KINDS: close is not one of open, note, show, resolve, note-modal",
                        "BENCH_EXTRAS: must be true or false",
                        "BENCH_JOB_THREADS: must be a whole number, at least 1",
                        "BENCH_FSYNC: must be on or off");
    }
}
