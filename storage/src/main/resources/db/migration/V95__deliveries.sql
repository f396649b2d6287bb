-- Deliveries already taken by a replica, by their id, for as long as they may be delivered again: a message pushed to
-- the bot (a Socket Mode envelope) may arrive again, on another connection or another replica, when its first
-- acknowledgement was lost. The first replica to claim an id handles it; any later copy gets the answer the first one
-- gave (kept in `answer`), and nothing is handled twice. A claim that never finished (its replica died) can be taken
-- over once `claimed_at` is older than the lease its claimant passes in.
create table delivery (
    id          text        primary key,
    claimed_at  timestamptz not null,
    done_at     timestamptz,
    answer      text,
    expires_at  timestamptz not null
);

create index delivery_expires_at_idx on delivery (expires_at);
