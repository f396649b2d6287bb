package io.firebreak.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.IncidentDao;
import io.firebreak.storage.timeline.Timeline;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.time.Clock;

/**
 * The incident record: runs work in transactions and hands out the data access objects for them.
 *
 * <p>Everything written in one {@link #inTransaction} call is committed together or not at all.
 */
public final class Storage {
    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Storage(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Work to run in a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx);
    }

    /** Runs {@code work} in a read-committed transaction, committing when it returns and rolling back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, handle -> work.run(new Tx(handle)));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Clock clock() {
        return clock;
    }

    /** The data access of one transaction. */
    public final class Tx {
        private final Handle handle;

        private Tx(Handle handle) {
            this.handle = handle;
        }

        public IncidentDao incidents() {
            return handle.attach(IncidentDao.class);
        }

        public io.firebreak.storage.jobs.JobQueueDao jobs() {
            return handle.attach(io.firebreak.storage.jobs.JobQueueDao.class);
        }

        public Timeline timeline() {
            return new Timeline(handle, mapper, clock);
        }

        /** Attaches any SqlObject interface to this transaction. */
        public <D> D attach(Class<D> dao) {
            return handle.attach(dao);
        }

        public Handle handle() {
            return handle;
        }
    }
}
