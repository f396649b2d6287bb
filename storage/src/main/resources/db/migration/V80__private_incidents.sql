-- A private incident is seen only by its channel's members, its commander and the security group.
-- Set when it is opened and never changed: making an incident public later would expose what was said in private.
alter table incident add column private boolean not null default false;
