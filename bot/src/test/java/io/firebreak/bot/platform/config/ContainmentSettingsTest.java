package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainmentSettingsTest {
    @TempDir
    Path dataDir;

    private Config load(String... pairs) {
        return ConfigLoader.load(Environments.with(dataDir, pairs));
    }

    @Test
    void defaultsAreTheShippedCatalogAnyoneButTheRequesterAndThirtyMinutes() {
        Config config = load();

        assertThat(config.containment().actionsFile()).isEmpty();
        assertThat(config.containment().approvers()).isEmpty();
        assertThat(config.containment().approvalTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.runJobs()).isTrue();
        assertThat(config.jobThreads())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void everythingSetIsRead() {
        Config config = load(
                "FIREBREAK_ACTIONS",
                "/etc/firebreak/actions.yml",
                "FIREBREAK_APPROVERS",
                "U024BE7LH, W0G9QF9C6",
                "FIREBREAK_APPROVAL_TTL",
                "PT2H",
                "FIREBREAK_RUN_JOBS",
                "false",
                "FIREBREAK_JOB_THREADS",
                "6");

        assertThat(config.containment().actionsFile()).isEqualTo(Optional.of(Path.of("/etc/firebreak/actions.yml")));
        assertThat(config.containment().approvers()).isEqualTo(Set.of("U024BE7LH", "W0G9QF9C6"));
        assertThat(config.containment().approvalTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.runJobs()).isFalse();
        assertThat(config.jobThreads()).isEqualTo(6);
    }

    @Test
    void badValuesAreListedWithoutTheirValues() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> load(
                        "FIREBREAK_APPROVERS",
                        "U024BE7LH,@alice",
                        "FIREBREAK_APPROVAL_TTL",
                        "30 minutes",
                        "FIREBREAK_RUN_JOBS",
                        "maybe",
                        "FIREBREAK_JOB_THREADS",
                        "0"));

        assertThat(e.problems())
                .containsExactly(
                        "FIREBREAK_APPROVERS must be Slack user IDs separated by commas, such as U024BE7LH,U0G9QF9C6; entry 2 is not one",
                        "FIREBREAK_APPROVAL_TTL must be a positive ISO-8601 duration, such as PT30M or PT2H",
                        "FIREBREAK_RUN_JOBS must be true or false",
                        "FIREBREAK_JOB_THREADS must be a whole number of jobs run at once, from 1 to 64");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load("FIREBREAK_APPROVAL_TTL", "PT0S"))
                        .problems())
                .containsExactly("FIREBREAK_APPROVAL_TTL must be a positive ISO-8601 duration, such as PT30M or PT2H");
    }

    @Test
    void theEnvironmentIsNeverPrinted() {
        Config config = load("AGENT_CONTROL_TOKEN", "act-secret-value-123");

        assertThat(config.containment().environment()).containsEntry("AGENT_CONTROL_TOKEN", "act-secret-value-123");
        assertThat(config.containment().toString()).doesNotContain("act-secret-value-123");
        assertThat(config.toString()).doesNotContain("act-secret-value-123");
    }
}
