package io.firebreak.storage.capture;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Ids of deliveries already handled (Slack's {@code event_id}), so a redelivered event does its work once.
 * Use {@link #firstDelivery} in the transaction that does the work: if that transaction rolls back, the
 * id is not kept and the next delivery does the work.
 */
public interface ReceivedEventDao {

    /** Keeps {@code eventId}; true the first time, false (changing nothing) for every later delivery of it. */
    @SqlUpdate(
            "insert into received_event (event_id, event_type, received_at) values (:id, :type, :now) on conflict (event_id) do nothing")
    boolean firstDelivery(@Bind("id") String eventId, @Bind("type") String eventType, @Bind("now") Instant now);

    /**
     * Forgets up to 500 ids received before {@code before}, long after the sender stops redelivering them.
     * Bounded, so it can run beside every insert without ever taking long.
     */
    @SqlUpdate("""
            delete from received_event where event_id in
                (select event_id from received_event where received_at < :before limit 500)
            """)
    int prune(@Bind("before") Instant before);
}
