package io.firebreak.bot.install.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.response.Response;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.install.Installations;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With OAuth install, a Slack request from a workspace Firebreak is not installed in (never, or uninstalled since) goes
 * no further: a slash command is told how to install, anything else gets an empty 200 so Slack does not send it again.
 * Logged with the workspace's ID only.
 */
public final class InstalledWorkspaces implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(InstalledWorkspaces.class);
    /** Events about the installation itself, handled whether or not a token is left. */
    private static final Set<String> INSTALL_EVENTS = Set.of("app_uninstalled", "tokens_revoked");

    private final Installations installations;
    private final String installUrl;
    private final BooleanSupplier rehearsing;

    /**
     * {@code rehearsing}: true while the replica warms up before it is ready (SlackWarmUp), whose rehearsed commands write
     * nothing and call nothing, and come from no workspace: they go through, so the real path is the one warmed.
     */
    public InstalledWorkspaces(Installations installations, Optional<URI> publicUrl, BooleanSupplier rehearsing) {
        this.installations = installations;
        this.rehearsing = rehearsing;
        this.installUrl = publicUrl
                .map(u -> u.toString().replaceAll("/+$", "") + InstallFlow.INSTALL_PATH)
                .orElse("<Firebreak's address>" + InstallFlow.INSTALL_PATH);
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        RequestType type = req.getRequestType();
        if (type == RequestType.UrlVerification || type == RequestType.SSLCheck) {
            return chain.next(req);
        }
        if (req instanceof EventRequest event && INSTALL_EVENTS.contains(event.getEventType())) {
            return chain.next(req);
        }
        String teamId = req.getContext().getTeamId();
        if (teamId == null || rehearsing.getAsBoolean()) {
            return chain.next(req);
        }
        Workspace workspace =
                new Workspace(teamId, Optional.ofNullable(req.getContext().getEnterpriseId()));
        if (installations.installed(workspace)) {
            return chain.next(req);
        }
        log.info("a Slack {} came from workspace {}, where Firebreak is not installed", type, teamId);
        if (type == RequestType.Command) {
            return Response.json(200, Map.of("response_type", "ephemeral", "text", notInstalled()));
        }
        return Response.ok();
    }

    String notInstalled() {
        return ":wave: Firebreak is not installed in this workspace (or it was removed). Someone who may add apps here"
                + " can install it at " + installUrl + ", then try again.";
    }
}
