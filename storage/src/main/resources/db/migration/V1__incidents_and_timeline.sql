-- The incident record. The key shown to people is 'INC-' || id.
create table incident (
    id              bigserial primary key,
    title           text        not null check (length(title) between 1 and 2000),
    severity        text        check (severity in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    phase           text        not null default 'DETECTED'
                                check (phase in ('DETECTED', 'CONTAINED', 'INVESTIGATING', 'CORRECTING', 'RESOLVED', 'CLOSED')),
    commander       text        not null,
    reporter        text        not null,
    source          text        not null,
    origin_channel  text,
    channel_id      text,
    card_channel    text,
    card_ts         text,
    opened_at       timestamptz not null,
    updated_at      timestamptz not null
);

create index incident_open_idx on incident (phase) where phase <> 'CLOSED';

-- Append-only history of an incident. Each row hashes its own canonical content together with the
-- previous row's hash, so a rewritten or inserted row breaks the chain.
create table timeline_event (
    id           bigserial   primary key,
    incident_id  bigint      not null references incident (id),
    seq          integer     not null check (seq >= 1),
    at           timestamptz not null,
    actor        text        not null,
    kind         text        not null,
    -- json, not jsonb: the exact text is kept, so the hash can be recomputed from what is stored.
    details      json        not null,
    prev_hash    char(64)    not null,
    hash         char(64)    not null,
    unique (incident_id, seq)
);

create function timeline_event_is_append_only() returns trigger
    language plpgsql as
$$
begin
    raise exception 'timeline_event is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger timeline_event_no_update_or_delete
    before update or delete on timeline_event
    for each row execute function timeline_event_is_append_only();

create trigger timeline_event_no_truncate
    before truncate on timeline_event
    for each statement execute function timeline_event_is_append_only();
