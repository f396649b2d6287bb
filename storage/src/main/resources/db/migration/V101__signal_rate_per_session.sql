-- The per-source rate is now counted in the same transaction that stores the alerts (one commit per request instead
-- of two). One row per database session and minute, so a request only ever locks its own session's row and a storm's
-- requests never wait on one another's commits; the count is the sum over the sessions (across replicas alike).
alter table signal_rate add column backend integer not null default 0;
alter table signal_rate drop constraint signal_rate_pkey;
alter table signal_rate add primary key (source, window_start, backend);
