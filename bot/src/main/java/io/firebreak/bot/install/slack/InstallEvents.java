package io.firebreak.bot.install.slack;

import com.slack.api.bolt.App;
import com.slack.api.model.event.AppUninstalledEvent;
import com.slack.api.model.event.TokensRevokedEvent;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.install.Installations;
import io.firebreak.bot.slack.SlackFeature;
import java.util.List;
import java.util.Optional;

/**
 * Slack's {@code app_uninstalled} and {@code tokens_revoked} events: the workspace's tokens are removed (its incidents
 * are kept) before the acknowledgement, which is quick (one update).
 */
public final class InstallEvents implements SlackFeature {
    private final Installations installations;

    public InstallEvents(Installations installations) {
        this.installations = installations;
    }

    @Override
    public void register(App app) {
        app.event(AppUninstalledEvent.class, (payload, ctx) -> {
            installations.uninstalled(workspace(payload.getTeamId(), payload.getEnterpriseId()));
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
