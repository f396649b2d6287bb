package io.firebreak.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.IncidentDao;
import io.firebreak.storage.jobs.JobQueueDao;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineDao;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.ConnectionFactory;
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
    private final Budgets budgets;
    /** Pooled connections as Jdbi's handles get them, for {@link #statementAlone}; empty: through a Jdbi handle. */
    private final Optional<ConnectionFactory> connections;

    /**
     * What a rehearsal's transactions write to instead of the record: empty temporary copies of the tables opening an
     * incident writes, found before the real ones (PostgreSQL searches the session's temporary schema first), with
     * sequences of their own so no incident number is used up. Dropped with the rolled-back transaction.
     */
    private static final String REHEARSAL_TABLES = """
            create temp table if not exists incident (like public.incident including all) on commit drop;
            create temp sequence if not exists rehearsal_incident_id;
            alter table pg_temp.incident alter column id set default nextval('pg_temp.rehearsal_incident_id');
            create temp table if not exists timeline_event (like public.timeline_event including all) on commit drop;
            create temp sequence if not exists rehearsal_timeline_event_id;
            alter table pg_temp.timeline_event alter column id set default nextval('pg_temp.rehearsal_timeline_event_id');
            create temp table if not exists scheduled_tasks (like public.scheduled_tasks including all) on commit drop;
            """;

    /** Thrown to roll a rehearsal's transaction back, carrying what its work returned. */
    private static final class Rehearsed extends RuntimeException {
        private final transient Object result;

        Rehearsed(Object result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    public Storage(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this(jdbi, new Budgets(), mapper, clock);
    }

    /** A record whose transactions see the {@link Budget} of the thread's request in {@code budgets}. */
    public Storage(Jdbi jdbi, Budgets budgets, ObjectMapper mapper, Clock clock) {
        this(jdbi, budgets, Optional.empty(), mapper, clock);
    }

    /**
     * The record of {@code database}: its Jdbi and budgets, and its pool's connections taken directly for
     * {@link #statementAlone}.
     */
    public Storage(Database database, ObjectMapper mapper, Clock clock) {
        this(database.jdbi(), database.budgets(), Optional.of(database.connections()), mapper, clock);
    }

    private Storage(
            Jdbi jdbi, Budgets budgets, Optional<ConnectionFactory> connections, ObjectMapper mapper, Clock clock) {
        this.budgets = budgets;
        this.connections = connections;
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
        if (budgets.current().filter(Budget::rehearsal).isPresent()
                && jdbi.getHandleScope().get() == null) {
            return rehearsal(work);
        }
        return jdbi.inTransaction(handle -> work.run(new Tx(handle)));
    }

    /**
     * Runs {@code work}, which is one statement, committed as it runs (autocommit): a round trip fewer than a
     * transaction, and the rows it locks are held only while the statement runs, not until the client's commit arrives
     * (for rows every request updates). Inside another transaction on this thread it joins that one, and in a
     * rehearsal it is rolled back like every other write.
     */
    public <T> T inStatement(Work<T> work) {
        if (jdbi.getHandleScope().get() != null
                || budgets.current().filter(Budget::rehearsal).isPresent()) {
            return inTransaction(work);
        }
        return jdbi.withHandle(handle -> work.run(new Tx(handle)));
    }

    /** One statement's work on a plain JDBC connection; a failure is thrown as Jdbi's (unchecked). */
    @FunctionalInterface
    public interface StatementWork<T> {
        T run(Connection connection);
    }

    /**
     * Runs {@code work}, one statement that may write, on a pooled connection of its own in autocommit, without a Jdbi
     * handle: for the hottest path (a storm's alert), where opening and closing a handle (copying Jdbi's configuration,
     * the transaction handler, the cleanables) cost as much CPU as the statement. The connection is waited for and the
     * write counted against the thread's request budget, as Jdbi's are ({@link Database}). Inside a transaction or a
     * rehearsal on the same thread, or on a record made without a {@link Database}, it runs as
     * {@link #inStatement} does.
     */
    public <T> T statementAlone(StatementWork<T> work) {
        if (connections.isEmpty()
                || jdbi.getHandleScope().get() != null
                || budgets.current().filter(Budget::rehearsal).isPresent()) {
            return inStatement(tx -> work.run(tx.handle().getConnection()));
        }
        try (Connection connection = connections.get().openConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            Optional<Budget> budget = budgets.current();
            if (budget.isPresent()) {
                budget.get().writing();
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }

    /**
     * Runs {@code work} as a rehearsal: every transaction it starts on this thread runs against empty temporary copies of
     * the incident, timeline and job tables and is rolled back, so the code paths run as for real (to warm them before a
     * replica says it is ready) while nothing is written: no incident, event or job, and no incident number used up.
     * Other tables are read as they are; {@code work} must not write them, nor call anything outside the database.
     */
    public <T> T rehearse(java.util.function.Supplier<T> work) {
        return budgets.within(Budget.of(System.nanoTime(), java.time.Duration.ofMinutes(1), true), work);
    }

    /** The budgets this record's transactions run under. */
    public Budgets budgets() {
        return budgets;
    }

    @SuppressWarnings("unchecked")
    private <T> T rehearsal(Work<T> work) {
        try {
            jdbi.useTransaction(handle -> {
                handle.createScript(REHEARSAL_TABLES).execute();
                throw new Rehearsed(work.run(new Tx(handle)));
            });
        } catch (Rehearsed done) {
            return (T) done.result;
        }
        throw new IllegalStateException("a rehearsal's transaction was not rolled back");
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
            return new Timeline(handle, dao(TimelineDao.class), mapper, clock, budgets);
        }

        /** Any SqlObject interface, for use in this transaction. */
        public <D> D attach(Class<D> type) {
            return dao(type);
        }

        public Handle handle() {
            return handle;
        }

        /**
         * Call before a write sent on {@code handle().getConnection()} directly (Jdbi's own statements check by
         * themselves): refused once the request's budget ran out with nothing written ({@link Budgets#writing}).
         */
        public void writing() throws StorageBusyException {
            budgets.writing();
        }
    }
}
