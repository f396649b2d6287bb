package io.firebreak.storage.install;

import java.time.Instant;
import java.util.Optional;

/**
 * A row of {@code slack_installation}: Firebreak installed into one Slack workspace, or into a whole Enterprise Grid
 * org. The tokens are ciphertexts; only the bot decrypts them.
 *
 * @param installationKey     the workspace's team ID, or the org's enterprise ID for an org-wide install
 * @param botToken            the encrypted bot token; empty once uninstalled or revoked
 * @param refreshToken        the encrypted refresh token, with token rotation only
 * @param botTokenExpiresAt   when the bot token expires, with token rotation only
 * @param refreshClaimed      true while a replica refreshes the token
 * @param refreshClaimedUntil when that claim lapses; after a failed refresh, when the next one may be tried
 */
public record StoredInstallation(
        String installationKey,
        Optional<String> teamId,
        Optional<String> teamName,
        Optional<String> enterpriseId,
        Optional<String> enterpriseName,
        boolean isEnterpriseInstall,
        String appId,
        String botUserId,
        String botScopes,
        String installerUserId,
        Instant installedAt,
        Optional<byte[]> botToken,
        Optional<byte[]> refreshToken,
        Optional<Instant> botTokenExpiresAt,
        boolean refreshClaimed,
        Optional<Instant> refreshClaimedUntil,
        Optional<Instant> uninstalledAt) {}
