-- Containment belongs to its target: the same action on the same target (action id and parameters) is one live
-- containment across incidents. An incident that asks for one already live on another incident is linked to that
-- run instead of firing it again; an undo is refused while another open incident still relies on it.
create table containment_link (
    incident_id bigint      not null references incident (id),
    run_id      text        not null references containment_run (id),
    linked_by   text        not null,
    linked_at   timestamptz not null,
    primary key (incident_id, run_id)
);

create index containment_link_run_idx on containment_link (run_id);
