package io.firebreak.bot.install.slack;

import com.slack.api.bolt.App;
import com.slack.api.model.event.AppUninstalledEvent;
import com.slack.api.model.event.TokensRevokedEvent;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.install.Installations;
import io.firebreak.bot.install.UninstallHook;
import io.firebreak.bot.slack.SlackFeature;
import java.util.List;
import java.util.Optional;

/**
 * Slack's {@code app_uninstalled} and {@code tokens_revoked} events: the workspace's tokens are removed (its incidents
 * are kept and each open one is marked) before the acknowledgement.
 */
public final class InstallEvents implements SlackFeature {
    private final Installations installations;
    private final UninstallHook onUninstalled;

    public InstallEvents(Installations installations, UninstallHook onUninstalled) {
        this.installations = installations;
        this.onUninstalled = onUninstalled;
    }

    @Override
    public void register(App app) {
        app.event(AppUninstalledEvent.class, (payload, ctx) -> {
            Workspace workspace = workspace(payload.getTeamId(), payload.getEnterpriseId());
            installations.uninstalled(workspace);
            onUninstalled.onUninstalled(workspace);
            return ctx.ack();
        });
        app.event(TokensRevokedEvent.class, (payload, ctx) -> {
            TokensRevokedEvent.Tokens tokens = payload.getEvent().getTokens();
            installations.tokensRevoked(
                    workspace(payload.getTeamId(), payload.getEnterpriseId()),
                    tokens == null || tokens.getBot() == null ? List.of() : tokens.getBot(),
                    tokens == null || tokens.getOauth() == null ? List.of() : tokens.getOauth());
            return ctx.ack();
        });
    }

    private static Workspace workspace(String teamId, String enterpriseId) {
        return new Workspace(teamId, Optional.ofNullable(enterpriseId));
    }
}
