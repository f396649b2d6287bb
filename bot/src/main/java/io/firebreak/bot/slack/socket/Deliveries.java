package io.firebreak.bot.slack.socket;

import io.firebreak.storage.Storage;
import io.firebreak.storage.delivery.DeliveryDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which Socket Mode envelopes were already taken, in the database, so that every replica agrees: the first to claim
 * one handles it, and any copy of it (a redelivery after a lost acknowledgement, on any connection of any replica) gets
 * the first one's answer and is not handled again.
 */
final class Deliveries {
    /** Slack redelivers for a while after a missed ack; an hour is well past its last retry. */
    static final Duration KEEP = Duration.ofHours(1);
    /**
     * A claim that has not finished after this is taken to be lost with its replica, and may be taken over. Handlers
     * answer within Slack's 3 seconds, so this is generous.
     */
    static final Duration LEASE = Duration.ofSeconds(30);

    private static final int PRUNE_EVERY = 200;

    private final Storage storage;
    private final Clock clock;
    private final AtomicLong claims = new AtomicLong();

    Deliveries(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** True when this replica should handle {@code id}: nobody has, or an earlier claim was lost. */
    boolean claim(String id) {
        Instant now = clock.instant();
        if (claims.incrementAndGet() % PRUNE_EVERY == 0) {
            storage.inTransaction(tx -> tx.attach(DeliveryDao.class).forgetExpired(now));
        }
        return storage.inTransaction(
                tx -> tx.attach(DeliveryDao.class).claim(id, now, now.plus(KEEP), now.minus(LEASE)));
    }

    /** Records that {@code id} was handled and answered with {@code answer} (empty: a plain acknowledgement). */
    void finish(String id, String answer) {
        storage.inTransaction(tx -> {
            tx.attach(DeliveryDao.class).finish(id, clock.instant(), answer);
            return null;
        });
    }

    /** Gives {@code id} up after its handling failed, so that Slack's next delivery of it is handled. */
    void release(String id) {
        storage.inTransaction(tx -> {
            tx.attach(DeliveryDao.class).release(id);
            return null;
        });
    }

    /**
     * The answer {@code id} was given, waiting up to {@code wait} for a claim still being handled (by this or another
     * replica) to finish; empty when it has not finished by then.
     */
    Optional<String> answer(String id, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<DeliveryDao.Seen> seen =
                    storage.inTransaction(tx -> tx.attach(DeliveryDao.class).find(id));
            if (seen.isPresent() && seen.get().done()) {
                return Optional.of(seen.get().answer());
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(50);
        }
    }
}
