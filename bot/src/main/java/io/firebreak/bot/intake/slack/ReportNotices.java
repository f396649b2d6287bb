package io.firebreak.bot.intake.slack;

import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.intake.Report;
import io.firebreak.storage.intake.ReportDao;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Job handler for {@code report-notice}: tells the incident's card thread about a user report. Waits for the
 * card when the report just opened the incident, and for Slack when it is down or rate limiting.
 */
public final class ReportNotices {
    /** How long a notice waits for a card to exist before it is dropped (no token, no channel). */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private final Storage storage;
    private final IncidentService incidents;
    private final SlackWebApi slack;
    private final Clock clock;

    public ReportNotices(Storage storage, IncidentService incidents, SlackWebApi slack, Clock clock) {
        this.storage = storage;
        this.incidents = incidents;
        this.slack = slack;
        this.clock = clock;
    }

    public void runJob(String reportId) {
        Optional<Report> found =
                storage.inTransaction(tx -> tx.attach(ReportDao.class).find(Long.parseLong(reportId)));
        if (found.isEmpty() || !slack.configured()) {
            return;
        }
        Report report = found.get();
        Incident incident = incidents
                .find(new io.firebreak.storage.incident.IncidentKey(report.incidentId()))
                .orElseThrow();
        if (incident.cardTs().isEmpty()) {
            if (report.receivedAt().plus(GIVE_UP_AFTER).isBefore(clock.instant())) {
                return;
            }
            throw new RetryLater(
                    clock.instant().plusSeconds(5), "the card of " + incident.key() + " is not posted yet");
        }
        SlackWebApi.Result<?> posted = slack.forIncident(incident)
                .call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(
                                r -> r.channel(incident.cardChannel().get())
                                        .threadTs(incident.cardTs().get())
                                        .text(text(report))));
        if (posted.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(posted.retryAfter().orElse(Duration.ofSeconds(10))),
                    "Slack answered " + posted.error().orElse("?") + " for the notice of " + report.key());
        }
    }

    static String text(Report report) {
        StringBuilder out = new StringBuilder(":incoming_envelope: *User report " + report.key() + "* from "
                + BlockKit.escaped(report.reporter(), 300) + " (form `" + BlockKit.escaped(report.form(), 100) + "`)");
        out.append(report.joinedExisting() ? ", joined to this incident:\n" : ", opened this incident:\n");
        out.append(">")
                .append(BlockKit.escaped(report.description(), 1500).replace("\n", "\n>"))
                .append('\n');
        report.runId()
                .ifPresent(r -> out.append("• run `")
                        .append(SlackText.escape(r))
                        .append("`")
                        .append(report.source()
                                .map(s -> " in " + SlackText.escape(s))
                                .orElse(""))
                        .append(" (evidence is being captured)\n"));
        report.workflow()
                .ifPresent(w ->
                        out.append("• workflow `").append(SlackText.escape(w)).append("`\n"));
        report.customerRef()
                .ifPresent(c ->
                        out.append("• customer ").append(SlackText.escape(c)).append('\n'));
        report.occurredAt()
                .ifPresent(
                        t -> out.append("• happened ").append(SlackText.date(t)).append('\n'));
        report.severityHint()
                .ifPresent(h -> out.append("• the reporter suggests *")
                        .append(h.label())
                        .append("*; a report never sets the severity, assess it with the card's button\n"));
        return BlockKit.cut(out.toString().stripTrailing(), 3900);
    }
}
