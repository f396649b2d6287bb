package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.firebreak.bot.access.ApiToken;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace settings of issue 19: a read-API token's workspace, the report forms', the adopted old rows. */
class WorkspaceSettingsTest {
    @TempDir
    Path dataDir;

    private Map<String, String> env(String... pairs) {
        return Environments.with(dataDir, pairs);
    }

    @Test
    void aTokenNamedWithATeamReadsThatWorkspaceAndOneWithoutReadsTheSingleOne() {
        Config config = ConfigLoader.load(env(
                "FIREBREAK_API_TOKENS",
                "dash@T0HOME0001:" + ApiToken.hash("a-token-of-16-chars") + ":incidents:read;plain:"
                        + ApiToken.hash("another-token-16ch") + ":incidents:read",
                "FIREBREAK_INTAKE_TEAM",
                "T0HOME0001",
                "FIREBREAK_LEGACY_TEAM_ID",
                "T0HOME0001"));

        ApiToken dash = config.access().apiTokens().stream()
                .filter(t -> t.name().equals("dash"))
                .findFirst()
                .orElseThrow();
        ApiToken plain = config.access().apiTokens().stream()
                .filter(t -> t.name().equals("plain"))
                .findFirst()
                .orElseThrow();
        assertThat(dash.team()).contains("T0HOME0001");
        assertThat(plain.team()).isEmpty();
        assertThat(config.intake().team()).contains("T0HOME0001");
        assertThat(config.access().legacyTeamId()).isEqualTo(Optional.of("T0HOME0001"));
    }

    @Test
    void aWorkspaceThatIsNotATeamIdIsRefusedWithoutEchoingTheToken() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "FIREBREAK_API_TOKENS",
                        "dash@home:" + ApiToken.hash("a-token-of-16-chars") + ":incidents:read",
                        "FIREBREAK_INTAKE_TEAM",
                        "#general",
                        "FIREBREAK_LEGACY_TEAM_ID",
                        "U0NOTATEAM")));

        assertThat(e.problems())
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("FIREBREAK_API_TOKENS entry 1"))
                .anySatisfy(p -> assertThat(p).startsWith("FIREBREAK_INTAKE_TEAM must be a Slack workspace ID"))
                .anySatisfy(p -> assertThat(p).startsWith("FIREBREAK_LEGACY_TEAM_ID must be a Slack workspace ID"))
                .allSatisfy(p -> assertThat(p).doesNotContain(ApiToken.hash("a-token-of-16-chars")));
    }
}
