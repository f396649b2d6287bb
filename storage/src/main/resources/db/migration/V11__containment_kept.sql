-- A containment action deliberately left in effect when the incident closes, and why.
create table containment_kept (
    run_id  text        primary key references containment_run (id),
    reason  text        not null check (length(reason) > 0),
    kept_by text        not null,
    kept_at timestamptz not null
);
