package io.firebreak.storage.intake;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code intake_replay}: report requests already answered, by signature. */
public interface ReplayDao {
    /** What a signed request was answered. */
    record Answered(String report, long incidentId, boolean joined) {}

    @RegisterConstructorMapper(Answered.class)
    @SqlQuery("select report, incident_id, joined from intake_replay where signature = :signature")
    Optional<Answered> find(@Bind("signature") String signature);

    /**
     * Remembers the answer to {@code signature}; false, changing nothing, when another transaction already did (the
     * same request arriving twice at once: the second waits for the first to commit, then finds it).
     */
    @SqlUpdate("""
            insert into intake_replay (signature, received_at, report, incident_id, joined)
            values (:signature, :at, :report, :incidentId, :joined)
            on conflict (signature) do nothing
            """)
    boolean remember(
            @Bind("signature") String signature,
            @Bind("at") Instant at,
            @Bind("report") String report,
            @Bind("incidentId") long incidentId,
            @Bind("joined") boolean joined);

    /** Forgets up to 500 answers received before {@code before}, so the table holds only the signature window. */
    @SqlUpdate("""
            delete from intake_replay where signature in
                (select signature from intake_replay where received_at < :before limit 500)
            """)
    int forgetBefore(@Bind("before") Instant before);
}
