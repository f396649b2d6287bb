package io.firebreak.bot.install;

import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.storage.Storage;
import io.firebreak.storage.install.InstallationDao;
import io.firebreak.storage.install.StoredInstallation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspaces Firebreak is installed in and their bot tokens: stored encrypted at an install, handed out (refreshed
 * first when token rotation is on and the token is about to expire), and removed at an uninstall or a revocation.
 */
public final class Installations {
    private static final Logger log = LoggerFactory.getLogger(Installations.class);
    /** A bot token expiring sooner than this is refreshed first, leaving time to try again while Slack is down. */
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(30);
    /** How long one replica's claim on a refresh keeps the others off: longer than the call to Slack may take. */
    static final Duration REFRESH_CLAIM = Duration.ofSeconds(30);
    /** After a failed refresh, nobody tries again before this. */
    static final Duration RETRY_REFRESH_AFTER = Duration.ofMinutes(1);
    /** How long a caller waits for another replica's refresh when the token it would use has expired. */
    static final Duration AWAIT_OTHER_REFRESH = Duration.ofSeconds(5);

    private final Storage storage;
    private final TokenCipher cipher;
    private final TokenRefresh refresh;
    private final Clock clock;

    public Installations(Storage storage, byte[] tokenKey, TokenRefresh refresh, Clock clock) {
        this.storage = storage;
        this.cipher = new TokenCipher(tokenKey);
        this.refresh = refresh;
        this.clock = clock;
    }

    /** Stores what Slack granted, replacing an earlier install of the same workspace or org. */
    public void install(Grant grant) {
        String key = grant.installationKey();
        Instant now = clock.instant();
        storage.inTransaction(tx -> {
            tx.attach(InstallationDao.class)
                    .save(
                            key,
                            grant.teamId().orElse(null),
                            grant.teamName().orElse(null),
                            grant.enterpriseId().orElse(null),
                            grant.enterpriseName().orElse(null),
                            grant.enterpriseInstall(),
                            grant.appId(),
                            grant.botUserId(),
                            grant.scopes(),
                            grant.installerUserId(),
                            now,
                            cipher.encrypt(grant.botToken().value(), key, TokenCipher.Column.BOT_TOKEN),
                            grant.refreshToken()
                                    .map(t -> cipher.encrypt(t.value(), key, TokenCipher.Column.REFRESH_TOKEN))
                                    .orElse(null),
                            grant.expiresIn().map(now::plus).orElse(null));
            return null;
        });
        log.info(
                "Firebreak was installed into {} {} by {}{}",
                grant.enterpriseInstall() ? "Enterprise Grid org" : "workspace",
                key,
                grant.installerUserId(),
                grant.refreshToken().isPresent() ? " (token rotation on)" : "");
    }

    /** True when {@code workspace} has an installation with a bot token (its own, or its org's org-wide one). */
    public boolean installed(Workspace workspace) {
        return serving(workspace).flatMap(StoredInstallation::botToken).isPresent();
    }

    /**
     * The bot token for {@code workspace}: empty when it is not installed, its token was revoked, or the stored token
     * cannot be decrypted (logged). With token rotation, a token about to expire is refreshed first, by one replica;
     * while that fails, the current token is used until it expires.
     */
    public Optional<Secret> botToken(Workspace workspace) {
        Optional<StoredInstallation> found = serving(workspace);
        if (found.isEmpty() || found.get().botToken().isEmpty()) {
            return Optional.empty();
        }
        StoredInstallation row = found.get();
        Optional<Secret> token = decrypt(row, row.botToken().get(), TokenCipher.Column.BOT_TOKEN);
        if (token.isEmpty() || row.botTokenExpiresAt().isEmpty()) {
            return token;
        }
        Instant now = clock.instant();
        Instant expires = row.botTokenExpiresAt().get();
        if (expires.isAfter(now.plus(REFRESH_BEFORE))) {
            return token;
        }
        Optional<Secret> refreshed = refresh(row);
        if (refreshed.isPresent()) {
            return refreshed;
        }
        if (expires.isAfter(clock.instant())) {
            return token;
        }
        log.error(
                "the bot token of {} expired at {} and could not be refreshed: nothing is sent to that workspace until"
                        + " a refresh succeeds or Firebreak is installed again",
                row.installationKey(),
                expires);
        return Optional.empty();
    }

    /**
     * Refreshes {@code row}'s bot token if this caller wins the claim (take the claim, call Slack, store: no lock is
     * held during the call); otherwise takes the token another replica refreshed, waiting a little when the current one
     * has expired. Empty when no new token is to be had now.
     */
    private Optional<Secret> refresh(StoredInstallation row) {
        String key = row.installationKey();
        String claim = UUID.randomUUID().toString();
        Instant now = clock.instant();
        boolean mine;
        // Own connections, never the caller's transaction: the claim must be seen by the other replicas at once, and
        // no row lock may be held while Slack is called.
        try (Handle handle = storage.jdbi().open()) {
            mine = handle.attach(InstallationDao.class)
                    .claimRefresh(key, claim, row.botTokenExpiresAt().get(), now, now.plus(REFRESH_CLAIM));
        }
        if (!mine) {
            return refreshedByAnother(row);
        }
        Optional<Secret> refreshToken = decrypt(row, row.refreshToken().get(), TokenCipher.Column.REFRESH_TOKEN);
        if (refreshToken.isEmpty()) {
            failed(key, claim, "the stored refresh token cannot be decrypted");
            return Optional.empty();
        }
        TokenRefresh.Refreshed fresh;
        try {
            fresh = refresh.refresh(refreshToken.get());
        } catch (TokenRefresh.Failed e) {
            failed(key, claim, e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            failed(key, claim, e.toString());
            return Optional.empty();
        }
        Instant expiresAt = clock.instant().plus(fresh.expiresIn());
        boolean stored;
        try (Handle handle = storage.jdbi().open()) {
            stored = handle.attach(InstallationDao.class)
                    .refreshed(
                            key,
                            claim,
                            cipher.encrypt(fresh.botToken().value(), key, TokenCipher.Column.BOT_TOKEN),
                            cipher.encrypt(fresh.refreshToken().value(), key, TokenCipher.Column.REFRESH_TOKEN),
                            expiresAt);
        }
        if (!stored) {
            // Uninstalled or revoked while Slack answered: the new token is not kept, nor used.
            log.warn("the refreshed bot token of {} was not kept: the installation changed meanwhile", key);
            return Optional.empty();
        }
        log.info("refreshed the bot token of {}; the new one expires at {}", key, expiresAt);
        return Optional.of(fresh.botToken());
    }

    private void failed(String key, String claim, String why) {
        Instant retryAt = clock.instant().plus(RETRY_REFRESH_AFTER);
        try (Handle handle = storage.jdbi().open()) {
            handle.attach(InstallationDao.class).refreshFailed(key, claim, retryAt);
        }
        log.error(
                "refreshing the bot token of {} failed: {}; the current token is used until it expires, and the"
                        + " refresh is tried again after {}",
                key,
                why,
                retryAt);
    }

    /** The token another replica refreshed (or is refreshing, when the current one has already expired). */
    private Optional<Secret> refreshedByAnother(StoredInstallation seen) {
        Instant giveUp = clock.instant().plus(AWAIT_OTHER_REFRESH);
        while (true) {
            Optional<StoredInstallation> now =
                    storage.inTransaction(tx -> tx.attach(InstallationDao.class).find(seen.installationKey()));
            if (now.isEmpty() || now.get().botToken().isEmpty()) {
                return Optional.empty();
            }
            if (!now.get().botTokenExpiresAt().equals(seen.botTokenExpiresAt())) {
                return decrypt(now.get(), now.get().botToken().get(), TokenCipher.Column.BOT_TOKEN);
            }
            boolean refreshing = now.get().refreshClaimed()
                    && now.get()
                            .refreshClaimedUntil()
                            .filter(until -> until.isAfter(clock.instant()))
                            .isPresent();
            boolean expired = !seen.botTokenExpiresAt().get().isAfter(clock.instant());
            if (!refreshing || !expired || clock.instant().isAfter(giveUp)) {
                return Optional.empty();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * Firebreak was uninstalled from {@code workspace}: the tokens of the installation serving it are removed (its
     * incidents are kept).
     */
    public void uninstalled(Workspace workspace) {
        Optional<String> key = serving(workspace).map(StoredInstallation::installationKey);
        key.ifPresent(this::forgetTokens);
        if (key.isEmpty()) {
            log.info("app_uninstalled from workspace {}, which had no installation", workspace.teamId());
        }
    }

    /**
     * Slack revoked tokens in {@code workspace}: the bot's, when its user is among {@code botUsers}. Firebreak asks for no
     * user scopes and keeps no user token, so revoked user tokens ({@code users}) leave nothing to remove.
     */
    public void tokensRevoked(Workspace workspace, Collection<String> botUsers, Collection<String> users) {
        Optional<StoredInstallation> row = serving(workspace);
        if (row.isPresent() && botUsers.contains(row.get().botUserId())) {
            forgetTokens(row.get().installationKey());
        } else if (!botUsers.isEmpty()) {
            log.info(
                    "tokens_revoked in workspace {} for bot users {}, none of them this installation's bot",
                    workspace.teamId(),
                    botUsers);
        }
        if (!users.isEmpty()) {
            log.info(
                    "tokens_revoked in workspace {} for {} user token(s): Firebreak keeps none",
                    workspace.teamId(),
                    users.size());
        }
    }

    private void forgetTokens(String key) {
        storage.inTransaction(tx -> tx.attach(InstallationDao.class).forgetTokens(key, clock.instant()));
        log.info("removed the Slack tokens of installation {}; its incidents are kept", key);
    }

    private Optional<StoredInstallation> serving(Workspace workspace) {
        return storage.inTransaction(tx -> tx.attach(InstallationDao.class)
                .serving(workspace.teamId(), workspace.enterpriseId().orElse(null)));
    }

    private Optional<Secret> decrypt(StoredInstallation row, byte[] stored, TokenCipher.Column column) {
        try {
            return Optional.of(new Secret(cipher.decrypt(stored, row.installationKey(), column)));
        } catch (TokenCipher.Unreadable e) {
            log.error(
                    "the {} stored for {} cannot be decrypted: {}. Nothing is sent to that workspace; install Firebreak"
                            + " into it again (or set the FIREBREAK_TOKEN_KEY it was stored with)",
                    column == TokenCipher.Column.BOT_TOKEN ? "bot token" : "refresh token",
                    row.installationKey(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
