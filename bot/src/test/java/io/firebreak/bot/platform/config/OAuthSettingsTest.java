package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OAuthSettingsTest {
    static final String CLIENT_ID = "2141029472.691202649728";
    static final String CLIENT_SECRET = "e1b9e11dfcd19c1982d5de12921e17e8c";
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');

    @TempDir
    Path dataDir;

    @Test
    void singleTokenModeStaysTheDefault() {
        assertThat(ConfigLoader.load(Environments.with(dataDir)).oauth()).isEmpty();
    }

    @Test
    void theThreeVariablesTurnOAuthInstallOn() {
        Config config = ConfigLoader.load(Environments.with(
                dataDir,
                "SLACK_CLIENT_ID",
                CLIENT_ID,
                "SLACK_CLIENT_SECRET",
                CLIENT_SECRET,
                "FIREBREAK_TOKEN_KEY",
                KEY));

        OAuthSettings oauth = config.oauth().orElseThrow();
        assertThat(oauth.clientId()).isEqualTo(CLIENT_ID);
        assertThat(oauth.tokenKeyBytes()).hasSize(32);
        assertThat(oauth.toString()).doesNotContain(CLIENT_SECRET).doesNotContain(KEY);
    }

    @Test
    void aMissingVariableIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(
                        Environments.with(dataDir, "SLACK_CLIENT_ID", CLIENT_ID, "SLACK_CLIENT_SECRET", CLIENT_SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing: FIREBREAK_TOKEN_KEY")
                .message()
                .doesNotContain(CLIENT_SECRET);
    }

    @Test
    void aMalformedKeyStopsTheBotNamingTheVariableNotItsValue() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        for (String bad : new String[] {shortKey, "not base64 at all!", "c2VjcmV0"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Environments.with(
                            dataDir,
                            "SLACK_CLIENT_ID",
                            CLIENT_ID,
                            "SLACK_CLIENT_SECRET",
                            CLIENT_SECRET,
                            "FIREBREAK_TOKEN_KEY",
                            bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("FIREBREAK_TOKEN_KEY must be 32 random bytes in base64")
                    .hasMessageContaining("openssl rand -base64 32")
                    .message()
                    .doesNotContain(bad)
                    .doesNotContain(CLIENT_SECRET);
        }
    }

    @Test
    void malformedClientCredentialsAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Environments.with(
                        dataDir,
                        "SLACK_CLIENT_ID",
                        "my-app",
                        "SLACK_CLIENT_SECRET",
                        "short",
                        "FIREBREAK_TOKEN_KEY",
                        KEY)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SLACK_CLIENT_ID must be the Client ID")
                .hasMessageContaining("SLACK_CLIENT_SECRET must be the Client Secret")
                .message()
                .doesNotContain("short")
                .doesNotContain(KEY);
    }

    @Test
    void aStaticBotTokenAndOAuthInstallAreNotMixed() {
        assertThatThrownBy(() -> ConfigLoader.load(Environments.with(
                        dataDir,
                        "SLACK_BOT_TOKEN",
                        "xoxb-one-workspace-token",
                        "SLACK_CLIENT_ID",
                        CLIENT_ID,
                        "SLACK_CLIENT_SECRET",
                        CLIENT_SECRET,
                        "FIREBREAK_TOKEN_KEY",
                        KEY)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set one or the other")
                .message()
                .doesNotContain("xoxb-one-workspace-token");
    }

    @Test
    void withSeveralWorkspacesTheAuditChannelNeedsItsWorkspace() {
        assertThatThrownBy(() -> ConfigLoader.load(Environments.with(
                        dataDir,
                        "SLACK_CLIENT_ID",
                        CLIENT_ID,
                        "SLACK_CLIENT_SECRET",
                        CLIENT_SECRET,
                        "FIREBREAK_TOKEN_KEY",
                        KEY,
                        "FIREBREAK_AUDIT_CHANNEL",
                        "C0AUDIT0001")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FIREBREAK_AUDIT_CHANNEL needs FIREBREAK_AUDIT_TEAM");
        assertThatThrownBy(() -> ConfigLoader.load(Environments.with(dataDir, "FIREBREAK_AUDIT_TEAM", "audit")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FIREBREAK_AUDIT_TEAM must be a Slack workspace ID")
                .hasMessageNotContaining("set FIREBREAK_AUDIT_CHANNEL too");
        assertThatThrownBy(() -> ConfigLoader.load(Environments.with(dataDir, "FIREBREAK_AUDIT_TEAM", "T0AUDIT01")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FIREBREAK_AUDIT_TEAM names the audit channel's workspace");

        Config config = ConfigLoader.load(Environments.with(
                dataDir,
                "SLACK_CLIENT_ID",
                CLIENT_ID,
                "SLACK_CLIENT_SECRET",
                CLIENT_SECRET,
                "FIREBREAK_TOKEN_KEY",
                KEY,
                "FIREBREAK_AUDIT_CHANNEL",
                "C0AUDIT0001",
                "FIREBREAK_AUDIT_TEAM",
                "T0AUDIT01"));
        assertThat(config.integrity().auditTeam()).contains("T0AUDIT01");
    }
}
