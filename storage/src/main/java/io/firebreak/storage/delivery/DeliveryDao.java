package io.firebreak.storage.delivery;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code delivery}: pushed messages already taken by a replica, so each is handled once. */
public interface DeliveryDao {
    /** A delivery's state: whether it was handled, and the answer it was given (empty for a plain acknowledgement). */
    record Seen(boolean done, String answer) {}

    /**
     * Claims {@code id} for the caller: true when it was never seen, or when an earlier claim never finished and was
     * made before {@code staleBefore} (its replica is taken to have died). False otherwise, changing nothing.
     */
    @SqlUpdate("""
            insert into delivery (id, claimed_at, expires_at) values (:id, :now, :expires)
            on conflict (id) do update set claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                where delivery.done_at is null and delivery.claimed_at < :staleBefore
            """)
    boolean claim(
            @Bind("id") String id,
            @Bind("now") Instant now,
            @Bind("expires") Instant expires,
            @Bind("staleBefore") Instant staleBefore);

    /** Marks {@code id} handled, keeping {@code answer} for later copies. */
    @SqlUpdate("update delivery set done_at = :now, answer = :answer where id = :id")
    void finish(@Bind("id") String id, @Bind("now") Instant now, @Bind("answer") String answer);

    /** Gives up a claim whose handling failed, so that a later copy is handled. */
    @SqlUpdate("delete from delivery where id = :id and done_at is null")
    void release(@Bind("id") String id);

    @RegisterConstructorMapper(Seen.class)
    @SqlQuery("select done_at is not null as done, coalesce(answer, '') as answer from delivery where id = :id")
    Optional<Seen> find(@Bind("id") String id);

    /** Forgets up to 500 deliveries that can no longer arrive again. */
    @SqlUpdate("""
            delete from delivery where id in (select id from delivery where expires_at < :now limit 500)
            """)
    int forgetExpired(@Bind("now") Instant now);
}
