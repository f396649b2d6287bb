-- Paging through PagerDuty's Events API v2. One row per event Firebreak sends (trigger, acknowledge, resolve), written
-- with the durable job that sends it, so a page survives PagerDuty being down and Firebreak restarting.
create table page_event (
    id           bigserial   primary key,
    incident_id  bigint      not null references incident (id),
    service      text        not null,
    action       text        not null check (action in ('trigger', 'acknowledge', 'resolve')),
    requested_by text        not null,
    reason       text,
    state        text        not null check (state in ('QUEUED', 'SENT', 'FAILED')),
    attempts     integer     not null default 0,
    outcome      text,
    requested_at timestamptz not null,
    finished_at  timestamptz
);

create index page_event_incident_idx on page_event (incident_id, service, id);

-- PagerDuty webhook (v3) deliveries handled, by the event's id: PagerDuty delivers at least once, so a redelivery is
-- answered 2xx and changes nothing.
create table pagerduty_webhook_event (
    event_id    text        primary key,
    event_type  text        not null,
    incident_id bigint      references incident (id),
    received_at timestamptz not null
);

-- Who was seen on call, per schedule and shift, and who was before them. The replica whose insert succeeds acts on a
-- shift change (enqueues the handoff offer in the same transaction); the others find the row and do nothing, so a change
-- is handled once however many replicas poll.
create table oncall_shift (
    id                  bigserial   primary key,
    schedule_id         text        not null,
    schedule_name       text        not null,
    user_id             text        not null,
    user_name           text        not null,
    user_email          text,
    shift_start         text        not null,
    previous_user_id    text,
    previous_user_name  text,
    previous_user_email text,
    observed_at         timestamptz not null,
    unique (schedule_id, user_id, shift_start)
);

create index oncall_shift_latest_idx on oncall_shift (schedule_id, id desc);
