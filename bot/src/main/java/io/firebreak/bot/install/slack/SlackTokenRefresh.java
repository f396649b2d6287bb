package io.firebreak.bot.install.slack;

import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.oauth.OAuthV2AccessResponse;
import io.firebreak.bot.install.TokenRefresh;
import io.firebreak.bot.platform.config.OAuthSettings;
import io.firebreak.bot.platform.config.Secret;
import java.io.IOException;
import java.time.Duration;

/** Spends a refresh token at Slack's {@code oauth.v2.access} ({@code grant_type=refresh_token}). */
public final class SlackTokenRefresh implements TokenRefresh {
    private final Slack slack;
    private final OAuthSettings oauth;

    public SlackTokenRefresh(Slack slack, OAuthSettings oauth) {
        this.slack = slack;
        this.oauth = oauth;
    }

    @Override
    public Refreshed refresh(Secret refreshToken) throws Failed {
        OAuthV2AccessResponse answer;
        try {
            answer = slack.methods()
                    .oauthV2Access(r -> r.clientId(oauth.clientId())
                            .clientSecret(oauth.clientSecret().value())
                            .grantType("refresh_token")
                            .refreshToken(refreshToken.value()));
        } catch (SlackApiException e) {
            // Its message would carry Slack's answer; the status says enough.
            throw new Failed("oauth.v2.access answered HTTP " + e.getResponse().code());
        } catch (IOException e) {
            throw new Failed(
                    "oauth.v2.access could not be reached (" + e.getClass().getSimpleName() + ")");
        }
        if (!answer.isOk()) {
            throw new Failed("oauth.v2.access answered " + answer.getError());
        }
        if (answer.getAccessToken() == null || answer.getRefreshToken() == null || answer.getExpiresIn() == null) {
            throw new Failed("oauth.v2.access answered without a new bot token, refresh token and expiry");
        }
        return new Refreshed(
                new Secret(answer.getAccessToken()),
                new Secret(answer.getRefreshToken()),
                Duration.ofSeconds(answer.getExpiresIn()));
    }
}
