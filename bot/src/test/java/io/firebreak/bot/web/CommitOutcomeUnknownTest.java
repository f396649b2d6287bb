package io.firebreak.bot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.TestBot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the database goes away during the commit, the answer does not claim that nothing was changed. */
class CommitOutcomeUnknownTest {
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
    }

    @AfterEach
    void stop() {
        bot.db().useHandle(h -> h.execute("drop trigger if exists drop_at_commit on timeline_event"));
        bot.close();
    }

    @Test
    void aConnectionLostAtCommitSaysTheOutcomeIsUnknown() {
        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("INC-1");
        // A deferred trigger runs inside COMMIT: ending the session there is the connection dropping mid-commit.
        bot.db().useHandle(h -> h.execute("""
                create function drop_connection() returns trigger language plpgsql as $$
                begin perform pg_terminate_backend(pg_backend_pid()); return null; end $$;
                create constraint trigger drop_at_commit after insert on timeline_event deferrable initially deferred
                for each row execute function drop_connection();
                """));

        String answer = bot.text(bot.command("note INC-1 paused the refund workflow"));

        assertThat(answer)
                .contains("may or may not have been saved")
                .contains("show")
                .doesNotContain("nothing was changed");
    }
}
