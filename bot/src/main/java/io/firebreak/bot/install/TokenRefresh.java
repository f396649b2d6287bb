package io.firebreak.bot.install;

import io.firebreak.bot.platform.config.Secret;
import java.time.Duration;

/** Spends a refresh token for a new bot token ({@code oauth.v2.access} with {@code grant_type=refresh_token}). */
@FunctionalInterface
public interface TokenRefresh {

    /** A new bot token, the refresh token that replaces the one spent, and how long the bot token lasts. */
    record Refreshed(Secret botToken, Secret refreshToken, Duration expiresIn) {}

    /** Slack refused or did not answer; {@code getMessage()} says why, without any token. */
    final class Failed extends Exception {
        public Failed(String why) {
            super(why, null, false, false);
        }
    }

    Refreshed refresh(Secret refreshToken) throws Failed;
}
