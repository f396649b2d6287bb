package io.firebreak.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.IncidentDao;
import io.firebreak.storage.jobs.JobQueueDao;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineDao;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.core.extension.HandleSupplier;
import org.jdbi.v3.core.extension.NoSuchExtensionException;

/**
 * The incident record: runs work in transactions and hands out the data access objects for them.
 *
 * <p>Everything written in one {@link #inTransaction} call is committed together or not at all.
 */
public final class Storage {
    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final HandleSupplier scopedHandle;
    private final Map<Class<?>, Object> daos = new ConcurrentHashMap<>();

    public Storage(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.scopedHandle = new ScopedHandleSupplier(jdbi);
    }

    /** Work to run in a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx);
    }

    /**
     * Runs {@code work} in a transaction, committing when it returns and rolling back when it throws; called inside
     * another transaction on the same thread, it joins that one. Transactions are read committed: PostgreSQL's default,
     * which the pool also sets on each connection ({@link Database}). The level is not named here because Jdbi would
     * then ask the server for the connection's level six times a transaction.
     */
    public <T> T inTransaction(Work<T> work) {
        return jdbi.inTransaction(handle -> work.run(new Tx(handle)));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The one instance of data access interface {@code type}, attached to the handle of whichever transaction calls it.
     * Attaching to each transaction's own handle instead made Jdbi build an invoker, with its own copy of the
     * configuration, for every method of the interface in every transaction: a fifth of the CPU of opening an incident
     * and of posting its card ({@code bench/run}).
     */
    private <D> D dao(Class<D> type) {
        return type.cast(daos.computeIfAbsent(
                type,
                t -> jdbi.getConfig(Extensions.class)
                        .findFor(t, scopedHandle)
                        .orElseThrow(() -> new NoSuchExtensionException(t))));
    }

    /** The data access of one transaction. */
    public final class Tx {
        private final Handle handle;

        private Tx(Handle handle) {
            this.handle = handle;
        }

        public IncidentDao incidents() {
            return dao(IncidentDao.class);
        }

        public JobQueueDao jobs() {
            return dao(JobQueueDao.class);
        }

        public Timeline timeline() {
            return new Timeline(handle, dao(TimelineDao.class), mapper, clock);
        }

        /** Any SqlObject interface, for use in this transaction. */
        public <D> D attach(Class<D> type) {
            return dao(type);
        }

        public Handle handle() {
            return handle;
        }
    }
}
