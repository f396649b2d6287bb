package io.firebreak.storage.install;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code slack_installation} and {@code slack_oauth_state}: OAuth installs, their tokens and their states. */
@RegisterRowMapper(InstallationDao.Mapper.class)
public interface InstallationDao {

    /** Stores an install, replacing an earlier one of the same workspace or org (a reinstall) wholesale. */
    @SqlUpdate("""
            insert into slack_installation (installation_key, team_id, team_name, enterprise_id, enterprise_name,
                is_enterprise_install, app_id, bot_user_id, bot_scopes, installer_user_id, installed_at, bot_token,
                refresh_token, bot_token_expires_at)
            values (:key, :teamId, :teamName, :enterpriseId, :enterpriseName, :enterpriseInstall, :appId, :botUserId,
                :scopes, :installer, :at, :botToken, :refreshToken, :expiresAt)
            on conflict (installation_key) do update set team_id = excluded.team_id, team_name = excluded.team_name,
                enterprise_id = excluded.enterprise_id, enterprise_name = excluded.enterprise_name,
                is_enterprise_install = excluded.is_enterprise_install, app_id = excluded.app_id,
                bot_user_id = excluded.bot_user_id, bot_scopes = excluded.bot_scopes,
                installer_user_id = excluded.installer_user_id, installed_at = excluded.installed_at,
                bot_token = excluded.bot_token, refresh_token = excluded.refresh_token,
                bot_token_expires_at = excluded.bot_token_expires_at, refresh_claim = null,
                refresh_claimed_until = null, uninstalled_at = null
            """)
    void save(
            @Bind("key") String key,
            @Bind("teamId") String teamId,
            @Bind("teamName") String teamName,
            @Bind("enterpriseId") String enterpriseId,
            @Bind("enterpriseName") String enterpriseName,
            @Bind("enterpriseInstall") boolean enterpriseInstall,
            @Bind("appId") String appId,
            @Bind("botUserId") String botUserId,
            @Bind("scopes") String scopes,
            @Bind("installer") String installer,
            @Bind("at") Instant at,
            @Bind("botToken") byte[] botToken,
            @Bind("refreshToken") byte[] refreshToken,
            @Bind("expiresAt") Instant expiresAt);

    /**
     * The installation serving workspace {@code teamId}: its own, or else its org's org-wide one ({@code enterpriseId}
     * may be null outside Enterprise Grid).
     */
    @SqlQuery("""
            select * from slack_installation
            where installation_key = :teamId
               or (is_enterprise_install and installation_key = :enterpriseId)
            order by is_enterprise_install
            limit 1
            """)
    Optional<StoredInstallation> serving(@Bind("teamId") String teamId, @Bind("enterpriseId") String enterpriseId);

    @SqlQuery("select * from slack_installation where installation_key = :key")
    Optional<StoredInstallation> find(@Bind("key") String key);

    /**
     * Claims the refresh of {@code key}'s bot token for {@code claim} until {@code until}: true only when the token is
     * still the one that expires at {@code expiresAt} (nobody refreshed it meanwhile) and no other claim is running.
     * One statement, so of two replicas asking at once exactly one gets it; no lock outlives it.
     */
    @SqlUpdate("""
            update slack_installation set refresh_claim = :claim, refresh_claimed_until = :until
            where installation_key = :key and bot_token is not null and refresh_token is not null
              and bot_token_expires_at = :expiresAt
              and (refresh_claimed_until is null or refresh_claimed_until < :now)
            """)
    boolean claimRefresh(
            @Bind("key") String key,
            @Bind("claim") String claim,
            @Bind("expiresAt") Instant expiresAt,
            @Bind("now") Instant now,
            @Bind("until") Instant until);

    /** Stores the refreshed pair, only for the holder of the claim (false when the claim was lost or revoked). */
    @SqlUpdate("""
            update slack_installation set bot_token = :botToken, refresh_token = :refreshToken,
                bot_token_expires_at = :expiresAt, refresh_claim = null, refresh_claimed_until = null
            where installation_key = :key and refresh_claim = :claim and bot_token is not null
            """)
    boolean refreshed(
            @Bind("key") String key,
            @Bind("claim") String claim,
            @Bind("botToken") byte[] botToken,
            @Bind("refreshToken") byte[] refreshToken,
            @Bind("expiresAt") Instant expiresAt);

    /** After a failed refresh: the claim ends, and nobody tries again before {@code retryAt}. */
    @SqlUpdate("""
            update slack_installation set refresh_claim = null, refresh_claimed_until = :retryAt
            where installation_key = :key and refresh_claim = :claim
            """)
    void refreshFailed(@Bind("key") String key, @Bind("claim") String claim, @Bind("retryAt") Instant retryAt);

    /** Removes the tokens of {@code key} (uninstalled, or its bot token revoked), keeping the record of the install. */
    @SqlUpdate("""
            update slack_installation set bot_token = null, refresh_token = null, bot_token_expires_at = null,
                refresh_claim = null, refresh_claimed_until = null, uninstalled_at = coalesce(uninstalled_at, :at)
            where installation_key = :key
            """)
    boolean forgetTokens(@Bind("key") String key, @Bind("at") Instant at);

    /** Keeps an OAuth state until {@code expiresAt}, forgetting up to 100 lapsed ones on the way. */
    @SqlUpdate("""
            with lapsed as (delete from slack_oauth_state where state_hash in
                (select state_hash from slack_oauth_state where expires_at < :now limit 100))
            insert into slack_oauth_state (state_hash, expires_at) values (:hash, :expiresAt)
            """)
    void issueState(@Bind("hash") String hash, @Bind("expiresAt") Instant expiresAt, @Bind("now") Instant now);

    /**
     * Takes the state {@code hash} once: true only for the first taker, and only before it expired. The row is deleted in
     * the same statement, so a replay (even a simultaneous one) finds nothing.
     */
    @SqlQuery("""
            with taken as (delete from slack_oauth_state where state_hash = :hash returning expires_at)
            select count(*) > 0 from taken where expires_at > :now
            """)
    boolean takeState(@Bind("hash") String hash, @Bind("now") Instant now);

    final class Mapper implements RowMapper<StoredInstallation> {
        @Override
        public StoredInstallation map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredInstallation(
                    rs.getString("installation_key"),
                    Optional.ofNullable(rs.getString("team_id")),
                    Optional.ofNullable(rs.getString("team_name")),
                    Optional.ofNullable(rs.getString("enterprise_id")),
                    Optional.ofNullable(rs.getString("enterprise_name")),
                    rs.getBoolean("is_enterprise_install"),
                    rs.getString("app_id"),
                    rs.getString("bot_user_id"),
                    rs.getString("bot_scopes"),
                    rs.getString("installer_user_id"),
                    rs.getTimestamp("installed_at").toInstant(),
                    Optional.ofNullable(rs.getBytes("bot_token")),
                    Optional.ofNullable(rs.getBytes("refresh_token")),
                    instant(rs, "bot_token_expires_at"),
                    rs.getString("refresh_claim") != null,
                    instant(rs, "refresh_claimed_until"),
                    instant(rs, "uninstalled_at"));
        }

        private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
            return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
        }
    }
}
