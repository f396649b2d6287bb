-- How many changes each Slack user and each workspace started in each minute: the per-user and per-workspace limits
-- on Slack-triggered work. Counted here, not in a replica's memory, so every replica behind one load balancer shares
-- the count. Only the current window of a subject is kept; older ones are deleted when a new one starts.
create table work_window (
    subject      text        not null,
    window_start timestamptz not null,
    count        integer     not null,
    primary key (subject, window_start)
);
