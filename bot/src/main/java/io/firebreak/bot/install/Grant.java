package io.firebreak.bot.install;

import io.firebreak.bot.platform.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What Slack granted at the end of an install ({@code oauth.v2.access}): the workspace or org, the bot and its token.
 *
 * @param teamId            the workspace; empty for an Enterprise Grid org-wide install
 * @param enterpriseId      the Enterprise Grid org, if any
 * @param enterpriseInstall true for an org-wide install, which serves every workspace of the org
 * @param scopes            the bot scopes granted, comma-separated as Slack gives them
 * @param installerUserId   who installed
 * @param refreshToken      with token rotation on: the token that gets the next bot token
 * @param expiresIn         with token rotation on: how long the bot token lasts
 */
public record Grant(
        Optional<String> teamId,
        Optional<String> teamName,
        Optional<String> enterpriseId,
        Optional<String> enterpriseName,
        boolean enterpriseInstall,
        String appId,
        String botUserId,
        String scopes,
        String installerUserId,
        Secret botToken,
        Optional<Secret> refreshToken,
        Optional<Duration> expiresIn) {

    public Grant {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(botUserId, "botUserId");
        if (enterpriseInstall) {
            // Installed for the org, not for the workspace the installer happened to be in.
            teamId = Optional.empty();
            teamName = Optional.empty();
        }
        if (enterpriseInstall ? enterpriseId.isEmpty() : teamId.isEmpty()) {
            throw new IllegalArgumentException(
                    enterpriseInstall ? "an org-wide install names its org" : "an install names its workspace");
        }
    }

    /** The key of the installation: the workspace's team ID, or the org's ID for an org-wide install. */
    public String installationKey() {
        return enterpriseInstall ? enterpriseId.orElseThrow() : teamId.orElseThrow();
    }

    /** The workspace's (or org's) name as people know it, else its ID. */
    public String displayName() {
        return (enterpriseInstall ? enterpriseName : teamName).orElse(installationKey());
    }
}
