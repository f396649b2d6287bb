package io.firebreak.storage.containment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL for containment shared across incidents: the {@code containment_link} table (an incident relying on another
 * incident's run) and the one live run of a target, whichever incident fired it.
 */
@RegisterRowMapper(ContainmentRunDao.RunMapper.class)
public interface ContainmentLinkDao {

    /** Serializes every firing on one target, across incidents, until the transaction ends. */
    @SqlQuery("select 1 from pg_advisory_xact_lock(hashtext('containment-target:' || :targetKey))")
    int lockTarget(@Bind("targetKey") String targetKey);

    /** The run of this target waiting, running or in effect on another incident, oldest first. */
    @SqlQuery("""
            select * from containment_run where target_key = :targetKey and incident_id <> :incidentId
            and state in ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED') order by requested_at, id limit 1
            """)
    Optional<ContainmentRun> liveElsewhere(@Bind("targetKey") String targetKey, @Bind("incidentId") long incidentId);

    /** Links the incident to the run; false when it already was. */
    @SqlUpdate("""
            insert into containment_link (incident_id, run_id, linked_by, linked_at) values (:incidentId, :runId, :by, :at)
            on conflict do nothing
            """)
    boolean link(
            @Bind("incidentId") long incidentId,
            @Bind("runId") String runId,
            @Bind("by") String by,
            @Bind("at") Instant at);

    /** The open incidents (ids) linked to the run, besides the one that fired it. */
    @SqlQuery("""
            select l.incident_id from containment_link l join incident i on i.id = l.incident_id
            where l.run_id = :runId and i.phase <> 'CLOSED' order by l.incident_id
            """)
    List<Long> openIncidentsRelyingOn(@Bind("runId") String runId);

    /** Runs of other incidents this incident relies on that are waiting, running or in effect, oldest first. */
    @SqlQuery("""
            select r.* from containment_link l join containment_run r on r.id = l.run_id where l.incident_id = :incidentId
            and r.state in ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED') order by r.requested_at, r.id
            """)
    List<ContainmentRun> liveLinked(@Bind("incidentId") long incidentId);
}
