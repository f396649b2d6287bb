package io.firebreak.bot.incident.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.JobQueue;
import io.firebreak.bot.testing.TestBot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change and its thread notice are one transaction: when storing the notice fails (here at COMMIT, as a crash or
 * a lost connection would), the change is not made either, and when the change is made its notice is there.
 */
class NoticeWithItsChangeTest {
    static final String BOB = "U024BE7LH";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");
        bot.slack().awaitCalls("chat.postMessage", 1);
    }

    @AfterEach
    void stop() {
        noticesWork();
        bot.close();
    }

    /** A deferred trigger runs inside COMMIT: the notice is written, then the whole transaction fails. */
    private void noticesFailAtCommit() {
        bot.db().useHandle(h -> h.execute("""
                create or replace function refuse_notice() returns trigger language plpgsql as $$
                begin raise exception 'notice store failed (test)'; end $$;
                create constraint trigger refuse_notice_at_commit after insert on thread_notice
                deferrable initially deferred for each row execute function refuse_notice();
                """));
    }

    private void noticesWork() {
        bot.db().useHandle(h -> h.execute("drop trigger if exists refuse_notice_at_commit on thread_notice"));
    }

    private long notices() {
        return bot.count("select count(*) from thread_notice");
    }

    private long events(String kind) {
        return bot.count("select count(*) from timeline_event where kind = ?", kind);
    }

    @Test
    void aSeverityChangeWhoseNoticeCannotBeStoredIsNotMade() {
        noticesFailAtCommit();

        bot.command("sev INC-1 critical refunds still going out");

        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("HIGH");
        assertThat(events("severity_changed")).isZero();
        assertThat(notices()).isZero();

        noticesWork();
        assertThat(bot.text(bot.command("sev INC-1 critical refunds still going out")))
                .contains("to *critical*");
        assertThat(bot.string("select severity from incident where id = 1")).isEqualTo("CRITICAL");
        assertThat(events("severity_changed")).isEqualTo(1);
        assertThat(notices()).isEqualTo(1);
        JobQueue.awaitSettled(bot);
        assertThat(bot.slack().calls("chat.postMessage").stream()
                        .filter(m -> m.get("text") != null && m.get("text").contains("changed the severity"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aPhaseChangeAndACommanderChangeCommitOnlyWithTheirNotices() {
        noticesFailAtCommit();

        bot.command("status INC-1 contained paused the workflow");
        bot.command("lead INC-1 <@" + BOB + "|bob>");

        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(TestBot.USER);
        assertThat(events("phase_changed") + events("commander_changed")).isZero();
        assertThat(notices()).isZero();

        noticesWork();
        bot.command("status INC-1 contained paused the workflow");
        bot.command("lead INC-1 <@" + BOB + "|bob>");

        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("CONTAINED");
        assertThat(bot.string("select commander from incident where id = 1")).isEqualTo(BOB);
        assertThat(notices()).isEqualTo(2);
    }

    @Test
    void aHandoffOfferIsStoredOnlyWithItsNotice() {
        noticesFailAtCommit();

        bot.command("handoff INC-1 <@" + BOB + "|bob> refunds paused");

        assertThat(bot.count("select count(*) from handoff")).isZero();
        assertThat(events("handoff_offered")).isZero();

        noticesWork();
        bot.command("handoff INC-1 <@" + BOB + "|bob> refunds paused");

        assertThat(bot.count("select count(*) from handoff")).isEqualTo(1);
        assertThat(bot.string("select text from thread_notice")).contains("is handing this incident to <@" + BOB);
    }
}
