package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use Firebreak, as read from the environment: fail closed in production, usable in the quick start. */
class AccessSettingsTest {
    @TempDir
    Path dataDir;

    private Map<String, String> env(String... pairs) {
        return Environments.with(dataDir, pairs);
    }

    @Test
    void withARealSigningSecretAndNoRespondersNobodyResponds() {
        Config config = ConfigLoader.load(env("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5"));

        assertThat(config.responders()).isEmpty();
        assertThat(config.access().respondersGenerated()).isFalse();
        assertThat(config.access().workspaces()).isEmpty();
        assertThat(config.access().privateResponders()).isEmpty();
    }

    @Test
    void theLocalQuickStartMakesTheLocalClientsUserTheResponderOfItsOwnWorkspace() {
        Config config = ConfigLoader.load(env());

        assertThat(config.signingSecretGenerated()).isTrue();
        assertThat(config.responders()).containsExactly(AccessSettings.LOCAL_USER);
        assertThat(config.access().respondersGenerated()).isTrue();
        assertThat(config.access().workspaces()).containsExactly(AccessSettings.LOCAL_TEAM);
    }

    @Test
    void configuredRespondersAreNeverReplacedByTheLocalUser() {
        Config config = ConfigLoader.load(env("FIREBREAK_RESPONDERS", "U0ALICE001,S0ONCALL01"));

        assertThat(config.responders()).containsExactly("U0ALICE001", "S0ONCALL01");
        assertThat(config.access().respondersGenerated()).isFalse();
        assertThat(config.access().workspaces()).isEmpty();
    }

    @Test
    void theWorkspaceAndTheSecurityGroupAreRead() {
        Config config = ConfigLoader.load(env(
                "SLACK_SIGNING_SECRET",
                "abc123",
                "FIREBREAK_TEAM_ID",
                "T0HOME0001, T0PARTNER1",
                "FIREBREAK_PRIVATE_RESPONDERS",
                "S0SECURITY,U0CISO0001"));

        assertThat(config.access().workspaces()).isEqualTo(Set.of("T0HOME0001", "T0PARTNER1"));
        assertThat(config.access().privateResponders()).isEqualTo(List.of("S0SECURITY", "U0CISO0001"));
    }

    @Test
    void aWorkspaceOrSecurityGroupThatIsNotAnIdIsRefusedWithOneLineEach() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(
                        env("FIREBREAK_TEAM_ID", "acme.slack.com", "FIREBREAK_PRIVATE_RESPONDERS", "@security")));

        assertThat(e.problems())
                .containsExactly(
                        "FIREBREAK_PRIVATE_RESPONDERS must list Slack user IDs (U…, W…) or user-group IDs (S…), separated by commas",
                        "FIREBREAK_TEAM_ID must be your Slack workspace's ID (T…), optionally followed by other allowed workspace IDs, separated by commas");
    }

    @Test
    void apiTokensAreKeptAsHashesWithTheirScopesAndTheSingleTokenReadsAllButPrivate() {
        String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        Config config = ConfigLoader.load(env(
                "FIREBREAK_API_TOKEN",
                "local-dev-token-123",
                "FIREBREAK_API_TOKENS",
                "dashboard:" + hash + ":incidents:read; security:" + hash.toUpperCase()
                        + ":incidents:read,private:read"));

        assertThat(config.access().apiTokens())
                .extracting(io.firebreak.bot.access.ApiToken::name)
                .containsExactly("FIREBREAK_API_TOKEN", "dashboard", "security");
        assertThat(config.access().apiTokens().get(0).scopes())
                .containsExactlyInAnyOrder(
                        io.firebreak.bot.access.ApiScope.INCIDENTS_READ,
                        io.firebreak.bot.access.ApiScope.EVIDENCE_READ);
        assertThat(config.access().apiTokens().get(0).sha256())
                .isEqualTo(io.firebreak.bot.access.ApiToken.hash("local-dev-token-123"));
        assertThat(config.access().apiTokens().get(2).sha256()).isEqualTo(hash);
        assertThat(config.access().apiTokens().toString())
                .doesNotContain("local-dev-token-123")
                .doesNotContain(hash);
    }

    @Test
    void aMalformedApiTokenEntryIsRefusedWithoutEchoingIt() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "FIREBREAK_API_TOKENS",
                        "dashboard:plain-SECRET-token:incidents:read;ok:" + "a".repeat(64) + ":incidents:write")));

        assertThat(e.problems())
                .hasSize(2)
                .allSatisfy(p ->
                        assertThat(p).startsWith("FIREBREAK_API_TOKENS entry ").doesNotContain("SECRET"));
    }
}
