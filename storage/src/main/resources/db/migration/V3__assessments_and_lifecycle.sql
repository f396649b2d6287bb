-- Why the incident has no channel of its own, when creating one failed (name_taken, missing_scope, …).
alter table incident add column channel_error text;
-- How the current severity was set, in words: the assessment's reason, or an override's stated reason.
alter table incident add column severity_reason text;

-- Every impact assessment, kept whole: the answers and the severity they derived.
create table assessment (
    id          bigserial   primary key,
    incident_id bigint      not null references incident (id),
    answers     jsonb       not null,
    severity    text        not null check (severity in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    reason      text        not null,
    assessed_by text        not null,
    assessed_at timestamptz not null
);
create index assessment_incident_idx on assessment (incident_id, assessed_at);
