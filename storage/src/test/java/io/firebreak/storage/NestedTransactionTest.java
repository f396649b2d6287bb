package io.firebreak.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A transaction started inside another on the same thread joins it: features rely on this to write together
 * (a user report and the run it attaches; the card job's lock and what it records).
 */
class NestedTransactionTest {
    @TempDir
    static Path dataDir;
    static Database database;
    static Storage storage;

    @BeforeAll
    static void start() throws Exception {
        database = Database.embedded(dataDir.resolve("pg"), Duration.ofSeconds(5));
        storage = new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static long insert(Storage.Tx tx, String title) {
        return tx.incidents().insert(title, null, "U1", "U1", "test", null, Instant.now()).id();
    }

    @Test
    void anInnerTransactionSeesTheOuterOnesUncommittedRowsAndRollsBackWithIt() {
        assertThatThrownBy(() -> storage.inTransaction(outer -> {
            long id = insert(outer, "outer");
            boolean innerSeesIt = storage.inTransaction(inner -> inner.incidents().find(id).isPresent());
            assertThat(innerSeesIt).as("the inner transaction runs on the outer one's handle").isTrue();
            storage.inTransaction(inner -> insert(inner, "inner"));
            throw new IllegalStateException("roll back everything");
        })).hasMessage("roll back everything");

        long left = database.jdbi().withHandle(h -> h.select("select count(*) from incident where title in ('outer', 'inner')")
                .mapTo(Long.class).one());
        assertThat(left).isZero();
    }
}
