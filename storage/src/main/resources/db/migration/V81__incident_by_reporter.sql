-- A retried open (same person, same title up to case and spacing, within 30 seconds) hands back the incident it
-- already made. The comparable form of the title is kept beside it, so that check is one indexed lookup however many
-- incidents the person opened lately (a script or a load test opens hundreds a second as one user).
alter table incident
    add column title_key text generated always as (lower(regexp_replace(title, '\s+', ' ', 'g'))) stored;

create index incident_reporter_title_idx on incident (reporter, title_key, opened_at desc);
