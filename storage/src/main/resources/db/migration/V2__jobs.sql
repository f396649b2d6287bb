-- Durable jobs, run by db-scheduler (https://github.com/kagkarlsson/db-scheduler): its PostgreSQL table as
-- the library documents it. Replicas claim due rows with SELECT ... FOR UPDATE SKIP LOCKED, so each job
-- runs on one replica at a time. Firebreak inserts rows itself (JobQueueDao) so that a job is committed
-- in the same transaction as the record that needs it.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    state                text,
    primary key (task_name, task_instance)
);

create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
