-- How many times pushing a regression case to the eval dataset was tried, for bounded retries.
alter table follow_up add column push_attempts integer not null default 0;
