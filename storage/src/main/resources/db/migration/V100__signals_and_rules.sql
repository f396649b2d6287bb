-- Alerts from monitors posted to /signals/{source}. Every alert is stored before the sender gets its 2xx; alerts of one
-- fingerprint (or of one workflow within the grouping window) make one signal, which belongs to one incident.
create table signal (
    id             bigserial   primary key,
    incident_id    bigint      not null references incident (id),
    source         text        not null,
    group_key      text        not null,
    fingerprint    text        not null,
    title          text        not null,
    workflow       text,
    run_id         text,
    severity       text,
    labels         jsonb       not null,
    first_at       timestamptz not null,
    -- Written by the digest job only (never per alert, so a storm does not queue on this row).
    digested_alerts integer    not null default 0,
    digested_at    timestamptz
);
create index signal_group_idx on signal (group_key, first_at);
create index signal_workflow_idx on signal (workflow, first_at) where workflow is not null;
create index signal_run_idx on signal (run_id) where run_id is not null;
create index signal_incident_idx on signal (incident_id);

-- Each alert as received: one row per alert of a notification, even in a storm.
create table signal_alert (
    id           bigserial   primary key,
    signal_id    bigint      references signal (id),
    source       text        not null,
    fingerprint  text        not null,
    status       text        not null check (status in ('firing', 'resolved')),
    received_at  timestamptz not null,
    payload      jsonb       not null
);
create index signal_alert_signal_idx on signal_alert (signal_id, received_at);
-- An alert joins the signal its fingerprint joined before, whichever way that one joined.
create index signal_alert_fingerprint_idx on signal_alert (source, fingerprint, id) where signal_id is not null;

-- Requests per source per minute. Counted in their own short transaction, so a storm's requests do not wait on one
-- another's commits (see SignalDao.countRequest).
create table signal_rate (
    source       text        not null,
    window_start timestamptz not null,
    requests     integer     not null,
    primary key (source, window_start)
);

-- Signed deliveries already answered (HMAC sources), as intake_replay does for reports: the same signed request
-- again is answered as the first was and stores nothing.
create table signal_replay (
    signature   text        primary key,
    received_at timestamptz not null,
    answer      text        not null
);
create index signal_replay_received_at_idx on signal_replay (received_at);

-- What rules did: each outcome at most once per rule, incident and target (a containment's target, a paged service).
create table rule_outcome (
    incident_id bigint      not null references incident (id),
    rule_id     text        not null,
    outcome     text        not null,
    target      text        not null,
    rule_ref    text        not null,
    dry_run     boolean     not null,
    at          timestamptz not null,
    primary key (incident_id, rule_id, outcome, target)
);

-- Whether rules run at all: one row, shared by every replica.
create table rules_state (
    id         integer     primary key check (id = 1),
    paused     boolean     not null,
    changed_by text        not null,
    changed_at timestamptz not null
);
