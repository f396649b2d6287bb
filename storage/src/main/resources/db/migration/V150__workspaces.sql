-- Every incident belongs to one Slack workspace (issue 19): its team_id, and its enterprise_id on Enterprise Grid.
-- Everything else about an incident (timeline, reports, signals joined to it, captures, handoffs, pages, jobs) hangs
-- off the incident row, so this is where the workspace is kept. Rows from before have team_id '' and belong to the
-- single workspace (see the bot's access/Tenancy): visible in single-token mode, adopted in OAuth mode only through
-- FIREBREAK_LEGACY_TEAM_ID.
alter table incident add column team_id text not null default '';
alter table incident add column enterprise_id text;

-- The scoped forms of today's listings: open incidents of a workspace, and the incident of a channel in a workspace.
create index incident_team_open_idx on incident (team_id, phase) where phase <> 'CLOSED';
