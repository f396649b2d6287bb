package io.firebreak.storage.incident;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code assessment}: every impact assessment of an incident, answers included. */
public interface AssessmentDao {

    /** One stored assessment; {@code answers} is the JSON text of the answers. */
    record StoredAssessment(
            long id,
            long incidentId,
            String answers,
            Severity severity,
            String reason,
            String assessedBy,
            Instant assessedAt) {}

    @SqlUpdate("""
            insert into assessment (incident_id, answers, severity, reason, assessed_by, assessed_at)
            values (:incidentId, cast(:answers as jsonb), :severity, :reason, :by, :at)
            """)
    void insert(
            @Bind("incidentId") long incidentId,
            @Bind("answers") String answersJson,
            @Bind("severity") Severity severity,
            @Bind("reason") String reason,
            @Bind("by") String by,
            @Bind("at") Instant at);

    @SqlQuery(
            "select id, incident_id, answers::text as answers, severity, reason, assessed_by, assessed_at from assessment where incident_id = :incidentId order by assessed_at, id")
    @RegisterConstructorMapper(StoredAssessment.class)
    List<StoredAssessment> forIncident(@Bind("incidentId") long incidentId);
}
