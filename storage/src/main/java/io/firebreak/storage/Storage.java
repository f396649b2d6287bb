package io.firebreak.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.IncidentDao;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.jobs.JobQueueDao;
import io.firebreak.storage.timeline.TimelineDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.sqlobject.SqlObjectFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The incident record: runs work in transactions and hands out the data access objects for them.
 *
 * <p>Everything written in one {@link #inTransaction} call is committed together or not at all.
 */
public final class Storage {
    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Set<Class<?>> described = ConcurrentHashMap.newKeySet();
    /** The transaction this thread is in, if any. */
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

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

    /**
     * Runs {@code work} in a transaction, committing when it returns and rolling back when it throws. Transactions are
     * read committed: PostgreSQL's default, which the pool also sets on each connection ({@link Database}). The level
     * is not named here because Jdbi would then ask the server for the connection's level six times a transaction.
     */
    public <T> T inTransaction(Work<T> work) {
        return jdbi.inTransaction(handle -> {
            Tx enclosing = current.get();
            if (enclosing != null && enclosing.handle == handle) {
                // Nested: Jdbi runs it in the enclosing transaction, so it shares that transaction's attached objects.
                return work.run(enclosing);
            }
            Tx tx = new Tx(handle);
            current.set(tx);
            try {
                return work.run(tx);
            } finally {
                current.set(enclosing);
            }
        });
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Works out a data access interface's metadata (its methods, statements and mappers, found by reflection) once, in
     * the Jdbi's own configuration. Jdbi caches it only in the configuration of the handle that attached it, and every
     * transaction opens a new handle as a copy of the Jdbi's, so without this each transaction would redo the
     * reflection: measured as a fifth of the CPU of opening an incident (docs/benchmarks.md).
     */
    private void describeOnce(Class<?> dao) {
        if (described.add(dao)) {
            Extensions extensions = jdbi.getConfig(Extensions.class);
            extensions.findFactory(SqlObjectFactory.class).ifPresent(factory -> extensions.findMetadata(dao, factory));
        }
    }

    /**
     * The data access of one transaction; each data access object is attached once per transaction (attaching one
     * costs Jdbi a pass over all its methods).
     */
    public final class Tx {
        private final Handle handle;
        private final Map<Class<?>, Object> attached = new HashMap<>();
        private Timeline timeline;

        private Tx(Handle handle) {
            this.handle = handle;
        }

        public IncidentDao incidents() {
            return attach(IncidentDao.class);
        }

        public JobQueueDao jobs() {
            return attach(JobQueueDao.class);
        }

        public Timeline timeline() {
            if (timeline == null) {
                timeline = new Timeline(handle, attach(TimelineDao.class), mapper, clock);
            }
            return timeline;
        }

        /** Attaches any SqlObject interface to this transaction (the same instance each time within it). */
        public <D> D attach(Class<D> dao) {
            return dao.cast(attached.computeIfAbsent(dao, type -> {
                describeOnce(type);
                return handle.attach(type);
            }));
        }

        public Handle handle() {
            return handle;
        }
    }
}
