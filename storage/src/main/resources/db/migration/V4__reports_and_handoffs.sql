-- User reports from forms posting to /reports. Stored before the bot answers, so an accepted report is
-- never lost; incident_id is set in the same transaction by triage.
create table report (
    id             bigserial   primary key,
    incident_id    bigint      not null references incident (id),
    description    text        not null,
    reporter       text        not null,
    run_id         text,
    source         text,
    workflow       text,
    occurred_at    timestamptz,
    customer_ref   text,
    severity_hint  text check (severity_hint in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    form           text        not null,
    received_at    timestamptz not null,
    joined_existing boolean    not null
);
create index report_run_idx on report (run_id) where run_id is not null;
create index report_workflow_idx on report (workflow, received_at) where workflow is not null;

-- Requests per form per minute, counted atomically so several replicas share one limit.
create table intake_rate (
    form         text        not null,
    window_start timestamptz not null,
    requests     integer     not null,
    primary key (form, window_start)
);

-- On-call handoffs: offered, then accepted by the receiver. Until accepted, the giver stays commander.
create table handoff (
    id           bigserial   primary key,
    incident_id  bigint      not null references incident (id),
    from_user    text        not null,
    to_user      text        not null,
    note         text,
    offered_at   timestamptz not null,
    accepted_at  timestamptz,
    superseded   boolean     not null default false
);
create index handoff_pending_idx on handoff (incident_id) where accepted_at is null and not superseded;
