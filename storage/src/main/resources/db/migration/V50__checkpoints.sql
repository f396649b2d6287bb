-- Signed checkpoints over every incident's timeline head (issue 16). A checkpoint is also published outside the
-- database (files, an audit channel); this table is the bot's own memory of what it signed, append-only like the
-- timeline, so the next checkpoint can name the previous one and refuse to sign a rewritten record.
create table record_checkpoint (
    number      bigint      primary key check (number >= 1),
    made_at     timestamptz not null,
    -- The checkpoint file exactly as published: the signed statement, its signature, the heads and event hashes.
    document    text        not null,
    -- SHA-256 of the canonical statement, which the next checkpoint names as its previous.
    digest      char(64)    not null
);

create trigger record_checkpoint_no_update_or_delete
    before update or delete on record_checkpoint
    for each row execute function timeline_event_is_append_only();

create trigger record_checkpoint_no_truncate
    before truncate on record_checkpoint
    for each statement execute function timeline_event_is_append_only();

-- Where each checkpoint was published; one row per checkpoint and target ('file', 'slack').
create table checkpoint_publication (
    checkpoint  bigint      not null references record_checkpoint (number),
    target      text        not null,
    reference   text        not null,
    at          timestamptz not null,
    primary key (checkpoint, target)
);
