package io.firebreak.bot.evidence.slack;

import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.evidence.FetchState;
import io.firebreak.storage.incident.Incident;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an incident's thread (the replies to its card) what became of a run's fetch: the evidence summary, that
 * the backend is being retried, or why the fetch failed. Runs as the durable job
 * {@link EvidenceService#THREAD_JOB}, so a message survives a restart and Slack being briefly unavailable.
 */
public final class EvidenceThread {
    /** How long a message waits for the incident card to be posted before it goes to the channel on its own. */
    static final Duration CARD_WAIT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(EvidenceThread.class);

    private final EvidenceService evidence;
    private final SlackWebApi slack;
    private final EvidenceSummary summary;
    private final Clock clock;

    public EvidenceThread(EvidenceService evidence, SlackWebApi slack, EvidenceSummary summary, Clock clock) {
        this.evidence = evidence;
        this.slack = slack;
        this.summary = summary;
        this.clock = clock;
    }

    /** Job handler for {@link EvidenceService#THREAD_JOB}: posts the message about one moment of a fetch. */
    public void runJob(String instanceId) {
        EvidenceService.ThreadNotice job = EvidenceService.ThreadNotice.parse(instanceId);
        long fetchId = job.fetchId();
        EvidenceService.ThreadNotice.What what = job.what();
        Optional<EvidenceService.FetchNotice> found = evidence.notice(fetchId);
        if (found.isEmpty()) {
            return;
        }
        EvidenceService.FetchNotice notice = found.get();
        if (what == EvidenceService.ThreadNotice.What.RETRYING && notice.fetch().state() != FetchState.PENDING) {
            return; // the outcome's own message follows
        }
        Incident incident = notice.incident();
        Optional<String> thread = incident.cardChannel().flatMap(c -> incident.cardTs());
        Optional<String> channel =
                incident.cardChannel().or(incident::channelId).or(incident::originChannel);
        if (thread.isEmpty()
                && channel.isPresent()
                && clock.instant().isBefore(notice.fetch().requestedAt().plus(CARD_WAIT))) {
            throw new RetryLater(
                    clock.instant().plusSeconds(3), "the card of " + incident.key() + " is not posted yet");
        }
        if (channel.isEmpty()) {
            log.info(
                    "no Slack channel for {}; the {} message about fetch {} is not posted",
                    incident.key(),
                    what,
                    fetchId);
            return;
        }
        EvidenceSummary.Message message = summary.render(notice, what);
        SlackWebApi.Result<?> posted = slack.forIncident(incident)
                .call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(r -> r.channel(channel.get())
                                .threadTs(thread.orElse(null))
                                .text(message.text())
                                .blocks(message.blocks())));
        if (!posted.ok() && posted.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(posted.retryAfter().orElse(Duration.ofSeconds(5))),
                    "Slack answered " + posted.error().orElse("") + " for the thread of " + incident.key());
        }
    }
}
