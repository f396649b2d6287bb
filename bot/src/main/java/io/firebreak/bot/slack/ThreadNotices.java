package io.firebreak.bot.slack;

import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.notice.ThreadNoticeDao;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tells everyone following an incident what changed: a reply in the card's thread. The card itself is updated by
 * the card job; the notice says who did what.
 *
 * <p>Notices are durable: {@link #post} stores the notice and enqueues {@link #JOB}, which posts it once the card
 * exists and runs again when Slack is rate limiting or unreachable, so a notice survives a 429 storm and a restart.
 * Delivery is at least once: a crash between Slack's answer and recording it posts the notice again.
 */
public final class ThreadNotices {
    /** The durable job that posts one notice; its instance id is the notice's id. */
    public static final String JOB = "thread-notice";
    /** How long a notice waits for its incident's card before it is given up as having nowhere to go. */
    static final Duration WAIT_FOR_CARD = Duration.ofMinutes(10);

    private final Function<IncidentKey, Optional<Incident>> incidents;
    private final SlackWebApi slack;
    private final Storage storage;
    private final Runnable wakeJobs;
    private final Clock clock;

    public ThreadNotices(
            Function<IncidentKey, Optional<Incident>> incidents,
            SlackWebApi slack,
            Storage storage,
            Runnable wakeJobs) {
        this.incidents = incidents;
        this.slack = slack;
        this.storage = storage;
        this.wakeJobs = wakeJobs;
        this.clock = storage.clock();
    }

    /** Posts {@code text} (mrkdwn) in the incident's card thread, once the card exists. */
    public void post(IncidentKey key, String text) {
        storage.inTransaction(tx -> {
            post(tx, key, text);
            return null;
        });
        wakeJobs.run();
    }

    /**
     * Stores {@code text} to be posted in the incident's card thread, in the caller's transaction: the notice of a
     * change commits with the change, or not at all. The caller wakes the jobs after committing.
     */
    public void post(Storage.Tx tx, IncidentKey key, String text) {
        long id = tx.attach(ThreadNoticeDao.class).add(key.id(), text, clock.instant());
        tx.jobs().enqueue(JOB, String.valueOf(id), clock.instant());
    }

    /** The job that posts notices. */
    public Job job() {
        return new Job(JOB, this::runJob);
    }

    private void runJob(String instanceId) {
        long id = Long.parseLong(instanceId);
        Optional<ThreadNoticeDao.Pending> found =
                storage.inTransaction(tx -> tx.attach(ThreadNoticeDao.class).pending(id));
        if (found.isEmpty()) {
            return;
        }
        ThreadNoticeDao.Pending notice = found.get();
        LogContext.incident(new IncidentKey(notice.incidentId()));
        Optional<Incident> incident = incidents.apply(new IncidentKey(notice.incidentId()));
        if (incident.isEmpty()) {
            return;
        }
        if (incident.get().cardChannel().isEmpty() || incident.get().cardTs().isEmpty()) {
            if (clock.instant().isBefore(notice.createdAt().plus(WAIT_FOR_CARD))) {
                throw new RetryLater(
                        clock.instant().plusSeconds(2),
                        "the card of " + incident.get().key() + " is not posted yet");
            }
            return;
        }
        SlackWebApi.Result<?> posted = slack.forIncident(incident.get())
                .call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(
                                r -> r.channel(incident.get().cardChannel().get())
                                        .threadTs(incident.get().cardTs().get())
                                        .text(notice.text())));
        if (posted.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(posted.retryAfter().orElse(Duration.ofSeconds(5))),
                    "Slack answered " + posted.error().orElse("?") + " for a notice on "
                            + incident.get().key());
        }
        // Posted, or refused for good (not_in_channel, a deleted card): either way nothing is left to retry.
        storage.inTransaction(tx -> {
            tx.attach(ThreadNoticeDao.class).posted(id, clock.instant());
            return null;
        });
    }
}
