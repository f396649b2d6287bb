-- Where an incident broke, as a person named it. Rows are only added: the newest is the current one, the
-- older ones are its history (the timeline has the same changes, hash-chained).
create table failure_point (
    id          bigserial   primary key,
    incident_id bigint      not null references incident (id),
    point       text        not null check (point in ('PROMPT', 'RETRIEVAL', 'TOOL_PERMISSION', 'TOOL_VALIDATION',
                                                      'ROUTING_POLICY', 'APPROVAL_VIEW', 'KNOWLEDGE_SOURCE', 'MODEL', 'OTHER')),
    explanation text        not null check (length(explanation) between 1 and 3000),
    set_by      text        not null,
    set_at      timestamptz not null
);

create index failure_point_incident_idx on failure_point (incident_id, id desc);
