-- Signed report requests already answered, by their signature (an HMAC over the timestamp and the body), for as
-- long as a signature is accepted. The same request sent again is answered as the first one was and stores nothing;
-- in the database, so replicas behind one load balancer share it.
create table intake_replay (
    signature   text        primary key,
    received_at timestamptz not null,
    report      text        not null,
    incident_id bigint      not null references incident (id),
    joined      boolean     not null
);

create index intake_replay_received_at_idx on intake_replay (received_at);
