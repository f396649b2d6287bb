-- What was changed to correct the incident, the evaluation that verified it, and how far it is rolled out.
create table correction (
    id           bigserial   primary key,
    incident_id  bigint      not null references incident (id),
    what_changed text        not null check (what_changed in ('PROMPT', 'WORKFLOW', 'TOOL_VALIDATION', 'RETRIEVAL',
                                                              'ROUTING_POLICY', 'APPROVAL_VIEW', 'KNOWLEDGE_SOURCE', 'OTHER')),
    description  text,
    new_version  text        not null,
    eval_name    text,
    eval_link    text,
    eval_result  text        not null check (eval_result in ('PASSED', 'FAILED', 'NOT_RUN')),
    rollout      text        not null check (rollout in ('PLANNED', 'IN_PROGRESS', 'COMPLETE', 'ROLLED_BACK')),
    recorded_by  text        not null,
    recorded_at  timestamptz not null
);
create index correction_incident_idx on correction (incident_id, recorded_at);

-- What the incident must produce before it closes: regression cases, an owner, verification checks, and more.
create table follow_up (
    id                bigserial   primary key,
    incident_id       bigint      not null references incident (id),
    kind              text        not null check (kind in ('REGRESSION_CASE', 'OWNER', 'VERIFICATION_CHECK', 'VALIDATION', 'OTHER')),
    text              text        not null,
    owner             text,
    -- Regression cases: built from an attached run's evidence.
    source_run_id     text,
    input             jsonb,
    bad_output        jsonb,
    expected_behavior text,
    failure_point     text,
    tags              jsonb       not null default '[]',
    created_by        text        not null,
    created_at        timestamptz not null,
    -- Export of a regression case to an eval dataset (Langfuse), retried by a job; never blocks closing.
    pushed_at         timestamptz,
    push_error        text
);
create index follow_up_incident_idx on follow_up (incident_id, kind);
create index follow_up_regression_idx on follow_up (created_at) where kind = 'REGRESSION_CASE';
