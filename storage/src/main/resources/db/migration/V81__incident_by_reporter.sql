-- A person's recent incidents, read inside every open from Slack to catch a retried open (same person, same title,
-- within 30 seconds) and hand back the incident it already made.
create index incident_reporter_opened_idx on incident (reporter, opened_at desc);
