package io.firebreak.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestartOfTheEmbeddedServer(@TempDir Path dataDir) throws Exception {
        long id;
        int migrationsAfterFirstStart;
        try (Database first = Database.embedded(dataDir, Duration.ofSeconds(5))) {
            migrationsAfterFirstStart = migrations(first);
            assertThat(first.description()).startsWith("embedded PostgreSQL on 127.0.0.1:");
            id = first.jdbi()
                    .withHandle(h -> h.createUpdate("""
                    insert into incident (title, commander, reporter, source, opened_at, updated_at)
                    values ('kept across restarts', 'U1', 'U1', 'test', :now, :now)""")
                            .bind("now", Instant.now())
                            .executeAndReturnGeneratedKeys("id")
                            .mapTo(Long.class)
                            .one());
        }
        try (Database second = Database.embedded(dataDir, Duration.ofSeconds(5))) {
            String title = second.jdbi()
                    .withHandle(h -> h.select("select title from incident where id = ?", id)
                            .mapTo(String.class)
                            .one());
            assertThat(title).isEqualTo("kept across restarts");
            assertThat(second.problem()).isEmpty();
            assertThat(migrations(second)).isEqualTo(migrationsAfterFirstStart).isPositive();
            int distinct = owner(second)
                    .withHandle(h -> h.select("select count(distinct version) from flyway_schema_history where success")
                            .mapTo(Integer.class)
                            .one());
            assertThat(distinct).isEqualTo(migrationsAfterFirstStart);
        }
    }

    @Test
    void theEmbeddedServerWaitsForTheDiskBeforeACommitReturns(@TempDir Path dataDir) throws Exception {
        try (Database database = Database.embedded(dataDir, Duration.ofSeconds(5))) {
            assertThat(setting(database, "fsync")).isEqualTo("on");
            assertThat(setting(database, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void storageTransactionsAreReadCommittedEvenWhereTheServerDefaultsToSerializable(@TempDir Path dataDir)
            throws Exception {
        try (Database first = Database.embedded(dataDir, Duration.ofSeconds(5))) {
            owner(first)
                    .useHandle(h ->
                            h.execute("alter database firebreak set default_transaction_isolation = 'serializable'"));
        }
        try (Database database = Database.embedded(dataDir, Duration.ofSeconds(5))) {
            Storage storage = new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC());
            String level = storage.inTransaction(tx -> tx.handle()
                    .select("select current_setting('transaction_isolation')")
                    .mapTo(String.class)
                    .one());
            assertThat(level).isEqualTo("read committed");
        }
    }

    private static String setting(Database database, String name) {
        return database.jdbi()
                .withHandle(h -> h.select("select current_setting(?)", name)
                        .mapTo(String.class)
                        .one());
    }

    /**
     * The tables' owner on the same embedded server: the bot's own role (database.jdbi()) may neither read the
     * migration history nor alter the database, by design.
     */
    private static Jdbi owner(Database database) {
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(database.description());
        assertThat(port.find())
                .as("the embedded server's port in " + database.description())
                .isTrue();
        return Jdbi.create("jdbc:postgresql://127.0.0.1:" + port.group(1) + "/firebreak?user=postgres");
    }

    private static int migrations(Database database) {
        return owner(database)
                .withHandle(h -> h.select("select count(*) from flyway_schema_history where success")
                        .mapTo(Integer.class)
                        .one());
    }
}
