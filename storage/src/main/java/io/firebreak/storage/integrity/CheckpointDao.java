package io.firebreak.storage.integrity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for signed checkpoints ({@code record_checkpoint}, append-only) and where they were published. */
@RegisterConstructorMapper(StoredCheckpoint.class)
public interface CheckpointDao {

    @SqlQuery("select number, made_at, document, digest from record_checkpoint order by number desc limit 1")
    Optional<StoredCheckpoint> latest();

    @SqlQuery("select number, made_at, document, digest from record_checkpoint where number = :number")
    Optional<StoredCheckpoint> find(@Bind("number") long number);

    @SqlQuery("select number, made_at, document, digest from record_checkpoint order by number")
    List<StoredCheckpoint> all();

    /** Takes the lock that serialises checkpoint making across replicas, until the transaction ends. */
    @SqlQuery("select pg_advisory_xact_lock(16, 1) is not null")
    boolean lockForMaking();

    @SqlUpdate(
            "insert into record_checkpoint (number, made_at, document, digest) values (:number, :madeAt, :document, :digest)")
    void insert(
            @Bind("number") long number,
            @Bind("madeAt") Instant madeAt,
            @Bind("document") String document,
            @Bind("digest") String digest);

    /** Remembers that checkpoint {@code number} went to {@code target}; false when it was already recorded. */
    @SqlUpdate("""
            insert into checkpoint_publication (checkpoint, target, reference, at) values (:number, :target, :reference, :at)
            on conflict do nothing
            """)
    boolean published(
            @Bind("number") long number,
            @Bind("target") String target,
            @Bind("reference") String reference,
            @Bind("at") Instant at);

    @SqlQuery("select count(*) > 0 from checkpoint_publication where checkpoint = :number and target = :target")
    boolean isPublished(@Bind("number") long number, @Bind("target") String target);

    /** Every incident's newest event: the leaves of the next checkpoint. */
    @SqlQuery(
            "select distinct on (incident_id) incident_id, seq, hash from timeline_event order by incident_id, seq desc")
    @RegisterConstructorMapper(Head.class)
    List<Head> heads();

    /** An incident's newest event as a checkpoint names it. */
    record Head(long incidentId, int seq, String hash) {}
}
