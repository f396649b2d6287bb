-- Firebreak installed into Slack workspaces through OAuth v2 (issue 19): one row per installation, keyed by the
-- workspace's team_id, or by the enterprise_id for an Enterprise Grid org-wide install (which serves every workspace of
-- its org). The bot and refresh tokens are stored encrypted (AES-GCM, key FIREBREAK_TOKEN_KEY), bound to installation_key
-- so a ciphertext copied onto another row does not decrypt. An uninstall or a revocation clears the tokens and keeps the
-- row: who installed, when, and when it ended stay on record.
create table slack_installation (
    installation_key      text        primary key,
    team_id               text,
    team_name             text,
    enterprise_id         text,
    enterprise_name       text,
    is_enterprise_install boolean     not null,
    app_id                text        not null,
    bot_user_id           text        not null,
    bot_scopes            text        not null,
    installer_user_id     text        not null,
    installed_at          timestamptz not null,
    -- null once uninstalled or revoked
    bot_token             bytea,
    -- present with token rotation only
    refresh_token         bytea,
    bot_token_expires_at  timestamptz,
    -- A replica refreshing the bot token claims it here first, so two replicas never spend one refresh token.
    refresh_claim         text,
    refresh_claimed_until timestamptz,
    uninstalled_at        timestamptz,
    check (is_enterprise_install = (team_id is null)),
    check (not is_enterprise_install or enterprise_id = installation_key),
    check (is_enterprise_install or team_id = installation_key)
);

create index slack_installation_enterprise_idx on slack_installation (enterprise_id) where is_enterprise_install;

-- The OAuth state of installs in progress: issued with the install link, taken once by the redirect back from Slack
-- (a replayed state finds nothing), void after expires_at. Kept as a SHA-256 so the table holds no usable state.
create table slack_oauth_state (
    state_hash  text        primary key,
    expires_at  timestamptz not null
);

create index slack_oauth_state_expires_idx on slack_oauth_state (expires_at);
