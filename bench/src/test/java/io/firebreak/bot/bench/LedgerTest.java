package io.firebreak.bot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load benchmark's requests and its integrity check, on a real bot: every kind of request it sends is acked as
 * done, and the check passes on what that wrote but fails on a lost note, a duplicated one and a broken chain.
 */
class LedgerTest {
    /** A bot of its own for each test: the check looks at the whole database. */
    private TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    @Test
    void everyKindOfRequestIsAckedAsDoneAndTheCheckFindsEachChangeOnce() {
        Ledger ledger = new Ledger();
        LoadDriver.Request open = send(ledger, LoadKind.OPEN, 1, 0);
        long incident = ledger.openedIncident(0, -1);
        assertThat(incident).isPositive();
        assertThat(open.body()).contains("Load+test+1");
        for (LoadKind kind :
                new LoadKind[] {LoadKind.NOTE, LoadKind.SHOW, LoadKind.NOTE_MODAL, LoadKind.RESOLVE, LoadKind.RESOLVE
                }) {
            send(ledger, kind, 2 + kind.ordinal(), incident);
        }

        Ledger.Check check = ledger.check(bot.db(), bot.firebreak().incidents());

        assertThat(check.ok()).as(String.join("\n", check.lines())).isTrue();
        assertThat(check.lines())
                .anyMatch(l -> l.startsWith("open:    1 acked; 0 lost, 0 titles stored twice"))
                .anyMatch(l -> l.startsWith("note:    2 acked (command and modal); 0 lost, 0 stored twice"))
                .anyMatch(l -> l.startsWith("resolve: 1 incidents clicked; 0 not resolved, 0 resolved twice"))
                .anyMatch(l -> l.endsWith("0 chains broken"));
        assertThat(bot.string(
                        "select details->>'text' from timeline_event where incident_id = ? and kind = 'note' order by seq limit 1",
                        incident))
                .isEqualTo(LoadKind.note(LoadKind.NOTE, 2 + LoadKind.NOTE.ordinal()));
    }

    @Test
    void theCheckFailsOnANoteAckedButNotStoredOneStoredTwiceAndABrokenChain() {
        Ledger ledger = new Ledger();
        send(ledger, LoadKind.OPEN, 100, 0);
        long incident = ledger.openedIncident(0, -1);
        send(ledger, LoadKind.NOTE, 101, incident);
        // An ack recorded for a note the bot never received: as if it had acked and then lost it.
        assertThat(ledger.acked(
                        LoadKind.NOTE,
                        new LoadDriver.Request("", 102, incident),
                        "Note added to INC-" + incident + "."))
                .isTrue();
        // The acked note written a second time, behind the bot's back (so with a hash that breaks the chain).
        bot.db().useHandle(h -> h.execute("""
                insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
                select incident_id, seq + 1, now(), actor, kind, details, hash, repeat('a', 64)
                from timeline_event where incident_id = ? and kind = 'note'""", incident));

        Ledger.Check check = ledger.check(bot.db(), bot.firebreak().incidents());

        assertThat(check.ok()).isFalse();
        assertThat(check.lines())
                .anyMatch(l -> l.startsWith("note:    2 acked (command and modal); 1 lost, 1 stored twice"))
                .anyMatch(l -> l.contains("INC-" + incident + " chain broken"))
                .anyMatch(l -> l.endsWith("1 chains broken"))
                .anyMatch(l -> l.equals("integrity: FAILED (note, chains)"));
    }

    /** Sends request {@code seq} of {@code kind} about {@code incident} as the benchmark does, and records its ack. */
    private LoadDriver.Request send(Ledger ledger, LoadKind kind, long seq, long incident) {
        LoadDriver.Request request = new LoadDriver.Request(
                LoadKind.fill(kind.template(bot.slack().responseUrl("ledger")), seq, incident), seq, incident);
        HttpResponse<String> ack = bot.postSigned(request.body(), "application/x-www-form-urlencoded");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ledger.acked(kind, request, ack.body()))
                .as(kind + " ack: " + ack.body())
                .isTrue();
        return request;
    }
}
