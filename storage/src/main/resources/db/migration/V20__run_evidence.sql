-- Agent runs attached to an incident, the fetches of their traces, and the frozen evidence.

-- A run attached to an incident. The source may still change while no evidence was frozen (a run first
-- looked up in the wrong backend); afterwards the snapshots say where the evidence came from.
create table run_attachment (
    id           bigserial   primary key,
    incident_id  bigint      not null references incident (id),
    run_id       text        not null check (length(run_id) between 1 and 200),
    source       text        not null check (source in ('LANGFUSE', 'LANGSMITH', 'OTEL')),
    attached_by  text        not null,
    attached_at  timestamptz not null,
    -- the user report (issue intake) the run arrived with, if any
    report_id    text,
    unique (incident_id, run_id)
);

-- One request to fetch a run's trace, done by the durable job 'evidence-fetch' (instance id = this id).
create table evidence_fetch (
    id              bigserial   primary key,
    attachment_id   bigint      not null references run_attachment (id),
    source          text        not null check (source in ('LANGFUSE', 'LANGSMITH', 'OTEL')),
    requested_by    text        not null,
    requested_at    timestamptz not null,
    state           text        not null default 'PENDING' check (state in ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts        integer     not null default 0,
    last_problem    text,
    next_attempt_at timestamptz,
    finished_at     timestamptz
);

-- At most one fetch of a run is under way at a time.
create unique index evidence_fetch_one_pending on evidence_fetch (attachment_id) where state = 'PENDING';

-- Frozen evidence: one row per successful fetch, never changed afterwards. A new fetch makes a new snapshot.
create table evidence_snapshot (
    id            bigserial   primary key,
    attachment_id bigint      not null references run_attachment (id),
    fetch_id      bigint      not null unique references evidence_fetch (id),
    seq           integer     not null check (seq >= 1),
    source        text        not null check (source in ('LANGFUSE', 'LANGSMITH', 'OTEL')),
    fetched_at    timestamptz not null,
    -- SHA-256 of the raw bytes of every part, in part order (for one part: of that response body)
    sha256        char(64)    not null,
    bytes         bigint      not null check (bytes >= 0),
    -- true when a response was longer than the size limit and was stored up to it
    truncated     boolean     not null,
    parse_status  text        not null check (parse_status in ('PARSED', 'PARTIAL', 'UNPARSABLE')),
    -- json, not jsonb: kept as written, field order included
    normalized    json        not null,
    -- what changed since the previous snapshot of the same run, null for the first
    changes       json,
    unique (attachment_id, seq)
);

-- The response bodies of a snapshot, byte for byte, each with its own SHA-256.
create table evidence_raw (
    snapshot_id  bigint   not null references evidence_snapshot (id),
    part         integer  not null check (part >= 1),
    method       text     not null,
    url          text     not null,
    status       integer  not null,
    content_type text,
    body         bytea    not null,
    bytes        bigint   not null check (bytes >= 0),
    sha256       char(64) not null,
    truncated    boolean  not null,
    primary key (snapshot_id, part)
);

create function evidence_is_immutable() returns trigger
    language plpgsql as
$$
begin
    raise exception '% is immutable evidence: % is not allowed', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger evidence_snapshot_no_update_or_delete
    before update or delete on evidence_snapshot
    for each row execute function evidence_is_immutable();

create trigger evidence_snapshot_no_truncate
    before truncate on evidence_snapshot
    for each statement execute function evidence_is_immutable();

create trigger evidence_raw_no_update_or_delete
    before update or delete on evidence_raw
    for each row execute function evidence_is_immutable();

create trigger evidence_raw_no_truncate
    before truncate on evidence_raw
    for each statement execute function evidence_is_immutable();

create index run_attachment_incident_idx on run_attachment (incident_id);
create index evidence_snapshot_attachment_idx on evidence_snapshot (attachment_id, seq);
