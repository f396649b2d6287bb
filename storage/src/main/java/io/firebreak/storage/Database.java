package io.firebreak.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool to the incident database, migrated to the current schema.
 *
 * <p>With a {@link DatabaseUrl} it connects there; without one it starts an embedded PostgreSQL server
 * whose data lives in a folder and survives restarts.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String EMBEDDED_DATABASE = "firebreak";
    /** Longest a statement on the bot's connections waits for a row, table or advisory lock. */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
    /** Longest a statement on the bot's connections runs. Migrations are exempt: they run as long as they need. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(20);

    private final HikariDataSource dataSource;
    private final Optional<EmbeddedPostgres> embedded;
    private final String description;
    private final Jdbi jdbi;
    /** The owner's location, when migrations run as another role than the bot (least privilege). */
    private final Optional<DatabaseUrl> migrationUrl;

    private final Duration connectTimeout;
    private final int poolSize;
    private final Budgets budgets = new Budgets();
    private volatile java.util.function.LongConsumer connectionWaits = nanos -> {};
    private boolean migrated;

    private Database(
            HikariDataSource dataSource,
            Optional<EmbeddedPostgres> embedded,
            String description,
            Optional<DatabaseUrl> migrationUrl,
            Duration connectTimeout) {
        this.migrationUrl = migrationUrl;
        this.connectTimeout = connectTimeout;
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
        this.poolSize = dataSource.getMaximumPoolSize();
        // Connections for Jdbi come through the budget of the thread's request, if any, and so do its writes.
        this.jdbi = Jdbi.create(this::connection)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
        jdbi.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(java.sql.PreparedStatement stmt, StatementContext ctx) throws SQLException {
                Optional<Budget> budget = budgets.current();
                if (budget.isPresent() && mayWrite(ctx.getRawSql())) {
                    budget.get().writing();
                }
            }
        });
    }

    /**
     * The pool's connections as Jdbi gets them: waited for only as long as the thread's request budget has left. For
     * plain JDBC on a hot path ({@link Storage#statementAlone}); the caller closes each one.
     */
    public org.jdbi.v3.core.ConnectionFactory connections() {
        return this::connection;
    }

    /** What is kept of a request's budget, when waiting for a connection, to answer with. */
    private static final Duration ANSWER_MARGIN = Duration.ofMillis(50);

    /** Connections the pool holds unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 16;

    /** Connects to {@code url} and runs pending migrations. */
    public static Database connect(DatabaseUrl url, Duration connectTimeout) {
        return migrated(open(url, connectTimeout));
    }

    /**
     * A pool for {@code url} that has not connected yet: it connects at first use, so a replica can start serving
     * its health check before the database is reachable. Call {@link #migrate()} before anything else uses it.
     */
    public static Database open(DatabaseUrl url, Duration connectTimeout) {
        return open(url, Optional.empty(), connectTimeout);
    }

    /**
     * As {@link #open(DatabaseUrl, Duration)}, with migrations run as the owner at {@code migrationUrl} when given,
     * after which the bot's role ({@code url}'s) is granted row access table by table ({@link DatabaseRoles}).
     */
    public static Database open(DatabaseUrl url, Optional<DatabaseUrl> migrationUrl, Duration connectTimeout) {
        return open(url, migrationUrl, connectTimeout, DEFAULT_POOL_SIZE);
    }

    /** As {@link #open(DatabaseUrl, Optional, Duration)}, with a pool of {@code poolSize} connections. */
    public static Database open(
            DatabaseUrl url, Optional<DatabaseUrl> migrationUrl, Duration connectTimeout, int poolSize) {
        HikariDataSource pool = pool(url.jdbcUrl(), url.user(), url.password(), connectTimeout, poolSize);
        return new Database(pool, Optional.empty(), url.describe(), migrationUrl, connectTimeout);
    }

    /**
     * Runs pending migrations (once per instance; later calls return at once). Flyway holds a PostgreSQL advisory
     * lock while it migrates, so replicas starting together apply each migration exactly once; the others wait
     * for the lock and then find nothing to do. Throws when the database cannot be reached or a migration fails.
     */
    public synchronized void migrate() {
        if (migrated) {
            return;
        }
        if (migrationUrl.isEmpty()) {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .initSql("set lock_timeout = 0; set statement_timeout = 0")
                    .load()
                    .migrate();
            // Flyway's connections run without the timeouts: retire them so none serves the bot that way.
            dataSource.getHikariPoolMXBean().softEvictConnections();
            migrated = true;
            return;
        }
        DatabaseUrl owner = migrationUrl.get();
        try (HikariDataSource ownerPool = pool(owner.jdbcUrl(), owner.user(), owner.password(), connectTimeout, 3)) {
            Flyway.configure()
                    .dataSource(ownerPool)
                    .locations("classpath:db/migration")
                    .initSql("set lock_timeout = 0; set statement_timeout = 0")
                    .load()
                    .migrate();
            String botRole;
            try (Connection bot = dataSource.getConnection();
                    Statement s = bot.createStatement()) {
                var rs = s.executeQuery("select current_user");
                rs.next();
                botRole = rs.getString(1);
            }
            try (Connection c = ownerPool.getConnection()) {
                DatabaseRoles.grantToBot(c, botRole);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not grant the bot's role its table access: " + e.getMessage(), e);
        }
        migrated = true;
    }

    /**
     * Starts (or restarts) an embedded PostgreSQL server whose data lives in {@code dataDirectory},
     * connects to it and runs pending migrations.
     */
    public static Database embedded(Path dataDirectory, Duration connectTimeout) throws IOException {
        return embedded(dataDirectory, connectTimeout, DEFAULT_POOL_SIZE);
    }

    /** As {@link #embedded(Path, Duration)}, with a pool of {@code poolSize} connections. */
    public static Database embedded(Path dataDirectory, Duration connectTimeout, int poolSize) throws IOException {
        EmbeddedPostgres server = startEmbeddedServer(dataDirectory);
        try {
            createDatabaseIfMissing(server.getPostgresDatabase());
            // Least privilege here too: the owner (postgres) migrates, the bot connects as a role that owns nothing.
            try (Connection c = server.getPostgresDatabase().getConnection()) {
                DatabaseRoles.createEmbeddedBotRole(c);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the embedded bot role: " + e.getMessage(), e);
            }
            String jdbcUrl = server.getJdbcUrl(DatabaseRoles.EMBEDDED_BOT_ROLE, EMBEDDED_DATABASE);
            HikariDataSource pool = pool(
                    jdbcUrl, Optional.of(DatabaseRoles.EMBEDDED_BOT_ROLE), Optional.empty(), connectTimeout, poolSize);
            String description = "embedded PostgreSQL on 127.0.0.1:" + server.getPort() + " (data in "
                    + dataDirectory.toAbsolutePath().normalize() + ")";
            DatabaseUrl owner = DatabaseUrl.parse(server.getJdbcUrl("postgres", EMBEDDED_DATABASE));
            return migrated(new Database(pool, Optional.of(server), description, Optional.of(owner), connectTimeout));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Starts (or restarts) the embedded PostgreSQL server that {@link #embedded} uses, its data in {@code dataDirectory}.
     * The library's defaults suit throwaway test servers (fsync off, commits acknowledged before they are written);
     * Firebreak promises that a change is on disk before Slack sees the ack, so here every commit waits for the disk.
     */
    public static EmbeddedPostgres startEmbeddedServer(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        StalePostmaster.clear(dataDirectory);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** The Jdbi instance over this pool, with the SqlObject and Postgres plugins installed. */
    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Where the data lives, without credentials. */
    public String description() {
        return description;
    }

    /** Empty when the database answers a query within the pool's timeout, else why not. */
    public Optional<String> problem() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("select 1");
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(describeFailure(e));
        }
    }

    /** A short, credential-free reason for a database failure. */
    public static String describeFailure(Throwable e) {
        return isUnavailable(e)
                ? "cannot connect to the database"
                : "database error: " + e.getClass().getSimpleName();
    }

    /**
     * True when {@code e} means the database cannot be reached right now (refused, dropped, shutting down, or no pooled
     * connection in time because none could be opened), as opposed to a bug, a rejected statement or a {@linkplain
     * #isBusy busy} pool.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketException || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * True when {@code e} means the database answers but this request could not be served in time, and nothing was
     * written: no pooled connection was free before its deadline (the pool times out without a connection failure behind
     * it: every connection is busy), its budget had run out, or a lock it needed stayed held ({@code lock_timeout}).
     */
    public static boolean isBusy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StorageBusyException) {
                return true;
            }
            // Hikari's timeout carries the last failure to open a connection as its cause; none means all were in use.
            if (cause instanceof java.sql.SQLTransientConnectionException t
                    && t.getCause() == null
                    && t.getSQLState() == null) {
                return true;
            }
            if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * True when {@code e} is the database going away while a transaction was being committed: the commit may have
     * been applied or not, and only reading the record again tells. Any other failure happened before the commit
     * was sent, so the transaction was rolled back and nothing was changed.
     */
    public static boolean outcomeUnknown(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.jdbi.v3.core.transaction.TransactionException tx
                    && tx.getMessage() != null
                    && tx.getMessage().startsWith("Failed to commit")) {
                return isUnavailable(tx);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The budgets that the work of each request runs under (see {@link Budget}). */
    public Budgets budgets() {
        return budgets;
    }

    /** Tells {@code waited} how long (in nanoseconds) each connection handed to Jdbi was waited for: set once, at wiring. */
    public void observeConnectionWaits(java.util.function.LongConsumer waited) {
        this.connectionWaits = waited;
    }

    /** How many connections the pool holds. */
    public int poolSize() {
        return poolSize;
    }

    /**
     * Opens every connection of the pool now and has each one read the tables a request reads first, so neither a
     * connection nor a cold server backend is paid for by the first requests. Returns when all are open, or throws
     * after {@code limit}.
     */
    public void warm(Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        java.util.List<Connection> held = new java.util.ArrayList<>();
        try {
            // Held at once, so each is a connection of its own: the pool opens the missing ones meanwhile.
            while (held.size() < poolSize) {
                long left = Math.max(250, (until - System.nanoTime()) / 1_000_000);
                Connection c = hikari().getConnection(left);
                held.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("select (select count(*) from incident where id = 0), "
                            + "(select count(*) from timeline_event where incident_id = 0), "
                            + "(select count(*) from scheduled_tasks where task_name = '')");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not open the pool's connections: " + describeFailure(e), e);
        } finally {
            held.forEach(c -> {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Handed back broken: the pool replaces it.
                }
            });
        }
    }

    /**
     * A connection for Jdbi. Under a {@link Budget} it is waited for only as long as the budget has left, and a wait that
     * runs out while the database answers is {@linkplain StorageBusyException busy}, not an outage.
     */
    private Connection connection() throws SQLException {
        Optional<Budget> budget = budgets.current();
        long start = System.nanoTime();
        try {
            if (budget.isEmpty() || budget.get().expired() && budget.get().wrote()) {
                return dataSource.getConnection();
            }
            // Never past the pool's own wait, so a database that cannot be reached is told apart from a busy pool
            // (Hikari's timeout then carries the connection failure), and a little before the deadline, so the failure
            // is answered as what it is rather than by the deadline.
            long left = Math.min(
                    dataSource.getConnectionTimeout(),
                    budget.get().remaining().minus(ANSWER_MARGIN).toMillis());
            if (left <= 0 || budget.get().expired()) {
                throw new StorageBusyException("the request's time ran out before a connection was free");
            }
            try {
                return hikari().getConnection(left);
            } catch (java.sql.SQLTransientConnectionException e) {
                if (isBusy(e)) {
                    throw new StorageBusyException(
                            "no connection was free within the request's time (" + left + " ms)", e);
                }
                throw e;
            }
        } finally {
            connectionWaits.accept(System.nanoTime() - start);
        }
    }

    /** Hikari's pool itself, which can wait for a connection for a time of the caller's choosing. */
    private com.zaxxer.hikari.pool.HikariPool hikari() {
        return (com.zaxxer.hikari.pool.HikariPool) dataSource.getHikariPoolMXBean();
    }

    /** True unless {@code sql} only reads (a select, or setting a session value). */
    static boolean mayWrite(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        String verb = s.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        return !(verb.equals("select") || verb.equals("set") || verb.equals("show"));
    }

    @Override
    public void close() {
        dataSource.close();
        embedded.ifPresent(server -> {
            try {
                server.close();
            } catch (IOException e) {
                log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        });
    }

    private static Database migrated(Database database) {
        try {
            database.migrate();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static HikariDataSource pool(
            String jdbcUrl, Optional<String> user, Optional<String> password, Duration connectTimeout, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("firebreak");
        config.setJdbcUrl(jdbcUrl);
        user.ifPresent(config::setUsername);
        password.ifPresent(config::setPassword);
        config.setMaximumPoolSize(size);
        // A fixed pool: every connection is opened at start ({@link #warm}), none while a burst of requests waits.
        config.setMinimumIdle(size);
        // Storage's transactions rely on it (and do not set it per transaction, which costs round trips).
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(connectTimeout.toMillis(), 2000)));
        // Fail at first use, not at construction, so start-up can retry with a clear message.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("ApplicationName", "firebreak");
        // A statement waiting on a lock, or running away, fails instead of holding a request past Slack's 3 s.
        config.addDataSourceProperty(
                "options",
                "-c lock_timeout=" + LOCK_TIMEOUT.toMillis() + " -c statement_timeout=" + STATEMENT_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }

    private static void createDatabaseIfMissing(DataSource postgres) {
        try (Connection c = postgres.getConnection();
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + EMBEDDED_DATABASE + "'");
            if (!rs.next()) {
                s.execute("create database " + EMBEDDED_DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the embedded database: " + e.getMessage(), e);
        }
    }
}
