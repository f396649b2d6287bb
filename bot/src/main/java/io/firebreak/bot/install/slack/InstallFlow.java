package io.firebreak.bot.install.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.builtin.OAuthCallbackRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.service.builtin.oauth.OAuthV2AccessErrorHandler;
import com.slack.api.bolt.service.builtin.oauth.OAuthV2SuccessHandler;
import com.slack.api.methods.response.oauth.OAuthV2AccessResponse;
import io.firebreak.bot.install.Grant;
import io.firebreak.bot.install.InstallStates;
import io.firebreak.bot.install.Installations;
import io.firebreak.bot.platform.config.OAuthSettings;
import io.firebreak.bot.platform.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's OAuth v2 install through Bolt's flow: {@code GET /slack/install} shows the "Add to Slack" link with a fresh
 * state (also set as a cookie), and {@code GET /slack/oauth_redirect} checks the state, exchanges the code at
 * {@code oauth.v2.access}, stores the installation and says what to do next; every way it can fail gets a page that says
 * so, with a link to start again.
 */
public final class InstallFlow {
    private static final Logger log = LoggerFactory.getLogger(InstallFlow.class);
    /** Where Slack sends the installer back; registered as the app's redirect URL. */
    public static final String REDIRECT_PATH = "/slack/oauth_redirect";

    public static final String INSTALL_PATH = InstallPages.INSTALL_PATH;

    /** The bot scopes asked for: those of {@code manifests/slack-app.yml} (ManifestTest keeps them the same). */
    public static final List<String> BOT_SCOPES = List.of(
            "commands",
            "chat:write",
            "reactions:read",
            "channels:history",
            "groups:history",
            "channels:manage",
            "groups:write",
            "channels:read",
            "groups:read",
            "usergroups:read",
            "files:write",
            "users:read",
            "users:read.email");

    private InstallFlow() {}

    /**
     * The Bolt app that serves the two install paths. Its own app, apart from the one answering {@code /slack/events}:
     * that one must stay without Bolt's multi-workspace authorization (Firebreak calls Slack itself), and this one
     * verifies no Slack signature (a browser, not Slack, calls it).
     */
    public static App app(
            Slack slack,
            OAuthSettings oauth,
            Optional<URI> publicUrl,
            String slashCommand,
            Installations installations,
            InstallStates states) {
        InstallPages pages = new InstallPages(slashCommand);
        AppConfig config = AppConfig.builder()
                .slack(slack)
                .clientId(oauth.clientId())
                .clientSecret(oauth.clientSecret().value())
                .scope(String.join(",", BOT_SCOPES))
                .userScope(null)
                // Without a public URL Slack uses the one redirect URL registered for the app.
                .redirectUri(publicUrl
                        .map(u -> u.toString().replaceAll("/+$", "") + REDIRECT_PATH)
                        .orElse(null))
                .singleTeamBotToken(null)
                .appPath("/slack")
                .oauthStartPath("/install")
                .oauthInstallPath("/install")
                .oauthCallbackPath("/oauth_redirect")
                .oauthRedirectUriPath("/oauth_redirect")
                .oauthCompletionUrl(null)
                .oauthCancellationUrl(null)
                .stateValidationEnabled(true)
                .oAuthInstallPageRenderingEnabled(true)
                .oAuthInstallPageRenderer(pages::install)
                .build();
        // No middleware: the only requests are the browser's two GETs, which carry no Slack signature to check.
        App app = new App(config, new ArrayList<>());
        app.asOAuthApp(true);
        app.service(new DatabaseStateService(states));
        app.oauthCallback(
                (OAuthV2SuccessHandler) (req, resp, granted) -> onGranted(req, resp, granted, installations, pages));
        app.oauthCallbackError((req, resp) -> {
            String error = req.getPayload().getError();
            log.info("an install was not finished on Slack's page: {}", error);
            return "access_denied".equals(error) ? into(resp, pages.cancelled()) : into(resp, pages.refused(error));
        });
        app.oauthCallbackStateError((req, resp) -> {
            log.info("an install came back with a state that is unknown, expired or already used");
            return into(resp, pages.expired());
        });
        app.oauthCallbackAccessError((OAuthV2AccessErrorHandler) (req, resp, refused) -> {
            log.warn("oauth.v2.access refused to finish an install: {}", refused.getError());
            return into(resp, pages.refused(String.valueOf(refused.getError())));
        });
        app.oauthCallbackException((req, resp, e) -> {
            log.error("an install could not be finished: {}", e.getClass().getSimpleName());
            return into(resp, pages.failed());
        });
        return app;
    }

    private static Response onGranted(
            OAuthCallbackRequest req,
            Response resp,
            OAuthV2AccessResponse granted,
            Installations installations,
            InstallPages pages) {
        if (granted.getAccessToken() == null || granted.getBotUserId() == null) {
            log.warn("oauth.v2.access finished an install without a bot token");
            return into(resp, pages.refused("no bot token granted"));
        }
        Grant grant = new Grant(
                Optional.ofNullable(granted.getTeam()).map(OAuthV2AccessResponse.Team::getId),
                Optional.ofNullable(granted.getTeam()).map(OAuthV2AccessResponse.Team::getName),
                Optional.ofNullable(granted.getEnterprise()).map(OAuthV2AccessResponse.Enterprise::getId),
                Optional.ofNullable(granted.getEnterprise()).map(OAuthV2AccessResponse.Enterprise::getName),
                granted.isEnterpriseInstall(),
                granted.getAppId(),
                granted.getBotUserId(),
                Optional.ofNullable(granted.getScope()).orElse(""),
                Optional.ofNullable(granted.getAuthedUser())
                        .map(OAuthV2AccessResponse.AuthedUser::getId)
                        .orElse(""),
                new Secret(granted.getAccessToken()),
                Optional.ofNullable(granted.getRefreshToken()).map(Secret::new),
                Optional.ofNullable(granted.getExpiresIn()).map(Duration::ofSeconds));
        installations.install(grant);
        return into(resp, pages.installed(grant.displayName(), grant.enterpriseInstall()));
    }

    /** Writes {@code page} into Bolt's response, keeping the headers Bolt set there (the cookie it clears). */
    private static Response into(Response resp, Response page) {
        resp.setStatusCode(page.getStatusCode());
        resp.setContentType(page.getContentType());
        resp.setBody(page.getBody());
        if (page.getHeaders() != null && resp.getHeaders() != null) {
            page.getHeaders().forEach((name, values) -> resp.getHeaders().put(name, values));
        }
        return resp;
    }
}
