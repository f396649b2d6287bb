-- Deliveries already handled, by the sender's id for them (Slack's event_id). Slack redelivers an event it
-- thinks was not acknowledged (X-Slack-Retry-Num) and may deliver one twice: the primary key turns the
-- second delivery into a no-op, decided in the same transaction as the work it would repeat.
create table received_event (
    event_id    text        primary key,
    event_type  text        not null,
    received_at timestamptz not null
);

create index received_event_received_at_idx on received_event (received_at);

-- A request to put a chat message on an incident's timeline, and how far it got. One row per message and
-- incident: the unique constraint, not a check before inserting, is what keeps a message from being added
-- twice. The timeline itself stays append-only; this row only tracks the request.
--   PENDING    the capture job has yet to read the message from Slack
--   CAPTURED   on the timeline (captured_seq is its event)
--   RETRACTED  taken back (its pin was removed); the capture event stays, a retraction event follows it
--   CANCELLED  taken back before the job had added it: nothing was added
--   FAILED     Slack would not give the message (problem says why); asking again retries
create table message_capture (
    id            bigserial   primary key,
    incident_id   bigint      not null references incident (id),
    channel_id    text        not null,
    message_ts    text        not null,
    method        text        not null check (method in ('REACTION', 'SHORTCUT')),
    requested_by  text        not null,
    requested_at  timestamptz not null,
    state         text        not null check (state in ('PENDING', 'CAPTURED', 'RETRACTED', 'CANCELLED', 'FAILED')),
    -- Each new request for a failed or cancelled capture is a new attempt, run by a job of its own.
    attempt       integer     not null default 1,
    -- Transient failures (rate limits, Slack unreachable) of this attempt, for the backoff.
    tries         integer     not null default 0,
    -- Known from a shortcut's payload when requested; read from Slack by the job for a reaction.
    author        text,
    text          text,
    thread_ts     text,
    permalink     text,
    -- Where to tell the person who used the shortcut how it went (Slack keeps it valid for 30 minutes).
    response_url  text,
    problem       text,
    captured_seq  integer,
    updated_at    timestamptz not null,
    unique (incident_id, channel_id, message_ts)
);

-- A message the shortcut was used on outside any incident channel, kept while its requester picks the
-- incident in a modal. Deleted once used; drafts nobody finished are pruned after a day.
create table message_capture_draft (
    id            bigserial   primary key,
    channel_id    text        not null,
    message_ts    text        not null,
    author        text        not null,
    text          text        not null,
    thread_ts     text,
    requested_by  text        not null,
    response_url  text,
    created_at    timestamptz not null
);

create index message_capture_draft_created_at_idx on message_capture_draft (created_at);
