package io.firebreak.storage.signals;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for what rules did, and whether they run at all. */
public interface RulesDao {

    /**
     * Records that {@code rule} produced {@code outcome} on {@code target} for an incident; false, changing nothing,
     * when it already had: each outcome happens at most once per rule, incident and target.
     */
    @SqlUpdate("""
            insert into rule_outcome (incident_id, rule_id, outcome, target, rule_ref, dry_run, at)
            values (:incidentId, :rule, :outcome, :target, :ref, :dryRun, :at)
            on conflict do nothing
            """)
    boolean claim(
            @Bind("incidentId") long incidentId,
            @Bind("rule") String ruleId,
            @Bind("outcome") String outcome,
            @Bind("target") String target,
            @Bind("ref") String ruleRef,
            @Bind("dryRun") boolean dryRun,
            @Bind("at") Instant at);

    @SqlQuery("select paused from rules_state where id = 1")
    Optional<Boolean> paused();

    @SqlUpdate("""
            insert into rules_state (id, paused, changed_by, changed_at) values (1, :paused, :by, :at)
            on conflict (id) do update set paused = :paused, changed_by = :by, changed_at = :at
            where rules_state.paused <> :paused
            """)
    boolean setPaused(@Bind("paused") boolean paused, @Bind("by") String by, @Bind("at") Instant at);

    /** Reports about {@code workflow} received since {@code since}. */
    @SqlQuery("select count(*) from report where workflow = :workflow and received_at >= :since")
    int reportsAbout(@Bind("workflow") String workflow, @Bind("since") Instant since);
}
