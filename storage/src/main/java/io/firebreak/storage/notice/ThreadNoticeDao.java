package io.firebreak.storage.notice;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code thread_notice}: replies waiting to be posted in an incident card's thread. */
public interface ThreadNoticeDao {
    /** A notice to post: the incident it is about and its text. */
    record Pending(long id, long incidentId, String text, Instant createdAt) {}

    /** Adds a notice; returns its id. */
    @SqlUpdate("insert into thread_notice (incident_id, text, created_at) values (:incidentId, :text, :at)")
    @GetGeneratedKeys("id")
    long add(@Bind("incidentId") long incidentId, @Bind("text") String text, @Bind("at") Instant at);

    /** The notice, while it waits to be posted. */
    @RegisterConstructorMapper(Pending.class)
    @SqlQuery("select id, incident_id, text, created_at from thread_notice where id = :id and posted_at is null")
    Optional<Pending> pending(@Bind("id") long id);

    @SqlUpdate("update thread_notice set posted_at = :at where id = :id")
    void posted(@Bind("id") long id, @Bind("at") Instant at);
}
