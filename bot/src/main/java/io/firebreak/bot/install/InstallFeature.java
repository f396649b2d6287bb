package io.firebreak.bot.install;

import com.slack.api.Slack;
import com.slack.api.bolt.middleware.Middleware;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.install.slack.InstallEvents;
import io.firebreak.bot.install.slack.InstallFlow;
import io.firebreak.bot.install.slack.InstalledWorkspaces;
import io.firebreak.bot.install.slack.SlackTokenRefresh;
import io.firebreak.bot.install.web.InstallServlet;
import io.firebreak.bot.platform.config.OAuthSettings;
import io.firebreak.bot.slack.BotTokens;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.storage.Budget;
import io.firebreak.storage.Storage;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Installing Firebreak into any number of Slack workspaces through OAuth v2: the install pages ({@code /slack/install},
 * {@code /slack/oauth_redirect}), the bot token of each workspace (rotated when Slack rotates them), the uninstall and
 * revocation events, and the answer to a request from a workspace where it is not installed.
 */
public final class InstallFeature implements Feature {
    private final Installations installations;
    private final UninstallHook onUninstalled;
    private final Map<String, HttpServlet> routes;

    public InstallFeature(
            Basics basics, Slack slack, OAuthSettings oauth, Installations installations, UninstallHook onUninstalled) {
        this.installations = installations;
        this.onUninstalled = onUninstalled;
        InstallServlet install = new InstallServlet(InstallFlow.app(
                slack,
                oauth,
                basics.config().publicUrl(),
                basics.config().slashCommand(),
                installations,
                new InstallStates(basics.storage(), basics.clock())));
        this.routes = Map.of(InstallFlow.INSTALL_PATH, install, InstallFlow.REDIRECT_PATH, install);
    }

    /**
     * The installations, built before the features because every Slack call needs their tokens ({@link #botTokens}); the
     * refresh tokens are spent at Slack's {@code oauth.v2.access}.
     */
    public static Installations installations(Storage storage, Slack slack, OAuthSettings oauth, Clock clock) {
        return new Installations(storage, oauth.tokenKeyBytes(), new SlackTokenRefresh(slack, oauth), clock);
    }

    /** Each workspace's bot token, from its installation. */
    public static BotTokens botTokens(Installations installations) {
        return installations::botToken;
    }

    /**
     * Runs before the access policy on every Slack request: one from a workspace where Firebreak is not installed is
     * answered with how to install, and goes no further.
     */
    public Middleware installedWorkspacesOnly(Basics basics) {
        return new InstalledWorkspaces(
                installations,
                basics.config().publicUrl(),
                () -> basics.storage()
                        .budgets()
                        .current()
                        .filter(Budget::rehearsal)
                        .isPresent());
    }

    @Override
    public List<SlackFeature> slack() {
        return List.of(new InstallEvents(installations, onUninstalled));
    }

    @Override
    public Map<String, HttpServlet> routes() {
        return routes;
    }
}
