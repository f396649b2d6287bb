package io.firebreak.bot.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The installations service on a real PostgreSQL: which installation serves a workspace, and uninstalls. */
class InstallationsTest {
    final Database database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5));
    final Installations installations = new Installations(
            new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC()),
            java.util.Base64.getDecoder().decode(Installs.TOKEN_KEY),
            refreshToken -> {
                throw new TokenRefresh.Failed("not in this test");
            },
            Clock.systemUTC());

    @AfterEach
    void close() {
        database.close();
    }

    private static Grant grant(Optional<String> team, Optional<String> enterprise, boolean orgWide, String token) {
        return new Grant(
                team,
                Optional.empty(),
                enterprise,
                Optional.of("Sandbox Org"),
                orgWide,
                "A111",
                "UB111",
                "commands,chat:write",
                "W111",
                new Secret(token),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void anOrgWideInstallServesEveryWorkspaceOfItsOrgAndAWorkspacesOwnInstallComesFirst() {
        installations.install(grant(Optional.empty(), Optional.of("E111"), true, "xoxb-org-wide"));
        installations.install(grant(Optional.of("T222"), Optional.of("E111"), false, "xoxb-own"));

        assertThat(installations.botToken(new Workspace("T111", Optional.of("E111"))))
                .map(Secret::value)
                .hasValue("xoxb-org-wide");
        assertThat(installations.botToken(new Workspace("T222", Optional.of("E111"))))
                .map(Secret::value)
                .hasValue("xoxb-own");
        assertThat(installations.botToken(new Workspace("T111", Optional.of("E999"))))
                .isEmpty();
        assertThat(installations.botToken(Workspace.of("T111"))).isEmpty();
    }

    @Test
    void anotherKeyOrTheRefreshTokenMovedIntoTheBotColumnDoesNotDecrypt() {
        installations.install(new Grant(
                Optional.of("T111"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                "A111",
                "UB111",
                "commands",
                "W111",
                new Secret("xoxe.xoxb-1-bot"),
                Optional.of(new Secret("xoxe-1-refresh")),
                Optional.of(Duration.ofHours(12))));
        Installations otherKey = new Installations(
                new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC()),
                new byte[32],
                refreshToken -> {
                    throw new TokenRefresh.Failed("not in this test");
                },
                Clock.systemUTC());

        assertThat(otherKey.botToken(Workspace.of("T111"))).isEmpty();
        assertThat(installations.botToken(Workspace.of("T111")))
                .map(Secret::value)
                .hasValue("xoxe.xoxb-1-bot");

        database.jdbi().useHandle(h -> h.execute("update slack_installation set bot_token = refresh_token"));
        assertThat(installations.botToken(Workspace.of("T111"))).isEmpty();
    }

    @Test
    void anUninstallRemovesTheTokensUntilInstalledAgain() {
        installations.install(grant(Optional.of("T111"), Optional.of("E111"), false, "xoxb-own"));
        Workspace workspace = new Workspace("T111", Optional.of("E111"));

        installations.uninstalled(workspace);

        assertThat(installations.installed(workspace)).isFalse();
        assertThat(installations.botToken(workspace)).isEmpty();

        // Installed again: served again.
        installations.install(grant(Optional.of("T111"), Optional.of("E111"), false, "xoxb-again"));
        assertThat(installations.botToken(workspace)).map(Secret::value).hasValue("xoxb-again");
    }
}
