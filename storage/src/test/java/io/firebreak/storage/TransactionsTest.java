package io.firebreak.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link Storage#inTransaction} behaves: a transaction started inside another on the same thread joins it (features
 * rely on this to write together: a user report and the run it attaches; the card job's lock and what it records), and
 * the data access objects, shared by every transaction, always work on the calling transaction's own handle.
 */
class TransactionsTest {
    static Database database;
    static Storage storage;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabases.fresh();
        storage = new Storage(database.jdbi(), new ObjectMapper(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static long insert(Storage.Tx tx, String title) {
        return tx.incidents()
                .insert(title, null, "U1", "U1", "test", null, Instant.now())
                .id();
    }

    @Test
    void anInnerTransactionSeesTheOuterOnesUncommittedRowsAndRollsBackWithIt() {
        assertThatThrownBy(() -> storage.inTransaction(outer -> {
                    long id = insert(outer, "outer");
                    boolean innerSeesIt = storage.inTransaction(
                            inner -> inner.incidents().find(id).isPresent());
                    assertThat(innerSeesIt)
                            .as("the inner transaction runs on the outer one's handle")
                            .isTrue();
                    storage.inTransaction(inner -> insert(inner, "inner"));
                    throw new IllegalStateException("roll back everything");
                }))
                .hasMessage("roll back everything");

        long left = database.jdbi()
                .withHandle(h -> h.select("select count(*) from incident where title in ('outer', 'inner')")
                        .mapTo(Long.class)
                        .one());
        assertThat(left).isZero();
    }

    @Test
    void transactionsOnTwoThreadsAtOnceEachWriteThroughTheirOwnHandle() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        CompletableFuture<Long> kept = CompletableFuture.supplyAsync(() -> storage.inTransaction(tx -> {
            long id = insert(tx, "kept");
            await(bothInside);
            return id;
        }));
        CompletableFuture<Void> rolledBack = CompletableFuture.runAsync(() -> storage.inTransaction(tx -> {
            insert(tx, "rolled back");
            await(bothInside);
            throw new IllegalStateException("roll back this one only");
        }));

        long id = kept.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> rolledBack.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("roll back this one only");
        assertThat(storage.inTransaction(tx -> tx.incidents().find(id)).map(i -> i.title()))
                .hasValue("kept");
        long rolledBackRows = database.jdbi()
                .withHandle(h -> h.select("select count(*) from incident where title = 'rolled back'")
                        .mapTo(Long.class)
                        .one());
        assertThat(rolledBackRows).isZero();
    }

    @Test
    void aDataAccessObjectKeptPastItsTransactionSaysSoInsteadOfWritingOutsideOne() {
        var incidents = storage.inTransaction(Storage.Tx::incidents);

        assertThatThrownBy(() -> incidents.find(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside Storage.inTransaction");
    }

    private static void await(CountDownLatch latch) {
        latch.countDown();
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS))
                    .as("both transactions open at once")
                    .isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
