-- Containment action runs: one row per time a responder fired (or asked to fire) a catalog action on an
-- incident. The id is also the durable job's instance id and the Idempotency-Key sent to the target, so a
-- retried job, a second replica or a restart never makes a second call the target would act on.
create table containment_run (
    id                   text        primary key,
    incident_id          bigint      not null references incident (id),
    action               text        not null,
    -- the parameter values as given, e.g. {"workflow": "refunds"}
    parameters           json        not null,
    -- the action and its parameters in one canonical text: at most one live run per incident and target
    target_key           text        not null,
    reason               text        not null,
    -- the Slack request that fired it (a modal's view id, a command's trigger id): a retried request finds its run
    request_key          text        unique,
    state                text        not null check (state in ('PENDING_APPROVAL', 'DENIED', 'EXPIRED', 'QUEUED',
                                                              'RUNNING', 'SUCCEEDED', 'FAILED', 'UNDONE')),
    requested_by         text        not null,
    requested_at         timestamptz not null,
    -- the incident's severity when it was asked for, null when not assessed
    severity             text,
    needs_approval       boolean     not null,
    approval_expires_at  timestamptz,
    decided_by           text,
    decided_at           timestamptz,
    attempts             integer     not null default 0,
    started_at           timestamptz,
    next_attempt_at      timestamptz,
    finished_at          timestamptz,
    -- what happened, in words a responder understands
    outcome              text,
    -- CONFIRMED, NOT_CONFIRMED or NOT_CHECKED when the action has a verification request
    verification         text,
    -- values read from the target before firing, kept for the undo call (e.g. {"previous_version": "6"})
    captured             json,
    undo_state           text        check (undo_state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    undo_requested_by    text,
    undo_reason          text,
    undo_requested_at    timestamptz,
    -- how many times an undo was asked for; each request has its own Idempotency-Key
    undo_requests        integer     not null default 0,
    undo_attempts        integer     not null default 0,
    undo_finished_at     timestamptz,
    undo_outcome         text,
    -- Slack messages to update later: the approval request, and the outcome with its Undo button
    approval_channel     text,
    approval_ts          text,
    outcome_channel      text,
    outcome_ts           text
);

create index containment_run_incident_idx on containment_run (incident_id, requested_at);

-- A double click, or the same action fired from the command and the modal, cannot put the same action on
-- the same target twice while one is waiting, running or in effect.
create unique index containment_run_one_live_per_target on containment_run (incident_id, target_key)
    where state in ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED');
