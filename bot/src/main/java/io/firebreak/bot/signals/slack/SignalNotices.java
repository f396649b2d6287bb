package io.firebreak.bot.signals.slack;

import io.firebreak.bot.signals.SignalAnnouncer;
import io.firebreak.bot.signals.SignalSummary;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.storage.Storage;
import io.firebreak.storage.notice.ThreadNoticeDao;
import java.time.Clock;

/**
 * A signal's messages in the incident's thread: one when it starts, then at most one per digest interval with the
 * count. Stored as durable thread notices in the digest's transaction, so none is lost to a Slack outage.
 */
public final class SignalNotices implements SignalAnnouncer {
    private final Clock clock;

    public SignalNotices(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void announce(Storage.Tx tx, SignalSummary summary) {
        long id = tx.attach(ThreadNoticeDao.class).add(summary.incident().id(), text(summary), clock.instant());
        tx.jobs().enqueue(ThreadNotices.JOB, String.valueOf(id), clock.instant());
    }

    static String text(SignalSummary s) {
        StringBuilder out = new StringBuilder();
        String title = "*" + BlockKit.escaped(s.signal().title(), 300) + "*";
        if (s.first()) {
            out.append(":rotating_light: Alert from `")
                    .append(SlackText.escape(s.signal().source()))
                    .append("`: ")
                    .append(title)
                    .append(" (")
                    .append(s.key())
                    .append(')');
            s.signal()
                    .workflow()
                    .ifPresent(w -> out.append(" · workflow `")
                            .append(SlackText.escape(w))
                            .append('`'));
            s.signal()
                    .severity()
                    .ifPresent(v -> out.append(" · severity `")
                            .append(SlackText.escape(v))
                            .append('`'));
            s.signal()
                    .runId()
                    .ifPresent(r -> out.append(" · run `")
                            .append(SlackText.escape(r))
                            .append("` (evidence is being captured)"));
            if (s.alerts() > 1) {
                out.append(String.format(
                        "%n%,d alerts so far; further alerts are counted here at most once a minute", s.alerts()));
            }
        } else {
            out.append(String.format(
                    ":bar_chart: %s %s: %,d more alert%s (%,d in all, %,d resolved)",
                    s.key(), title, s.newAlerts(), s.newAlerts() == 1 ? "" : "s", s.alerts(), s.resolved()));
        }
        if (s.resolvedAtSource()) {
            out.append(
                    "\n:white_check_mark: The newest alert says *resolved* at the source. The incident stays as it is:"
                            + " a responder resolves it.");
        }
        return BlockKit.cut(out.toString(), 3900);
    }
}
