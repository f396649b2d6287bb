-- Replies in an incident card's thread (severity, phase, commander, handoff), kept until Slack has them: a notice
-- is written when the change is answered and posted by a durable job that retries through rate limits and restarts.
create table thread_notice (
    id          bigserial   primary key,
    incident_id bigint      not null references incident (id),
    text        text        not null,
    created_at  timestamptz not null,
    posted_at   timestamptz
);

create index thread_notice_unposted_idx on thread_notice (incident_id) where posted_at is null;
