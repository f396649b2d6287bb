package io.firebreak.storage.containment;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code containment_kept}: actions left in effect on purpose, with the reason. */
public interface KeptDao {

    /** Why a run was kept in effect. */
    record Kept(String runId, String reason, String keptBy, Instant keptAt) {}

    /** Keeps the run (or updates why); the last reason given wins. */
    @SqlUpdate("""
            insert into containment_kept (run_id, reason, kept_by, kept_at) values (:runId, :reason, :by, :at)
            on conflict (run_id) do update set reason = excluded.reason, kept_by = excluded.kept_by, kept_at = excluded.kept_at
            """)
    void keep(
            @Bind("runId") String runId, @Bind("reason") String reason, @Bind("by") String by, @Bind("at") Instant at);

    @SqlQuery(
            "select k.* from containment_kept k join containment_run r on r.id = k.run_id where r.incident_id = :incidentId")
    @RegisterConstructorMapper(Kept.class)
    List<Kept> forIncident(@Bind("incidentId") long incidentId);
}
