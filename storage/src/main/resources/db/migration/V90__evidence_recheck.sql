-- A fetch whose raw bytes hash to the run's latest snapshot stores nothing new: it records which snapshot it
-- re-checked instead (null for a fetch that stored a snapshot, failed, or is still pending).
alter table evidence_fetch add column unchanged_since integer;
