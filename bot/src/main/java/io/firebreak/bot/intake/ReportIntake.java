package io.firebreak.bot.intake;

import io.firebreak.bot.platform.logging.LogContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.config.IntakeSettings;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.intake.ReportDao;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Takes in user reports: counts them against the form's rate, stores each before answering, and triages it
 * in the same transaction: a report about a run or workflow of an open incident joins it, any other opens a new
 * incident, never assessed, posted to the triage channel. A report never sets a severity.
 */
public final class ReportIntake {
    /** How long a form's past request counts are kept: only the current minute is ever read. */
    static final Duration RATE_MEMORY = Duration.ofHours(1);
    /** The durable job that tells the incident's thread about a report; its instance id is the report id. */
    public static final String NOTICE_JOB = "report-notice";

    private final Storage storage;
    private final IncidentService incidents;
    private final IntakeSettings settings;
    private final RunAttacher runs;
    private final ObjectMapper mapper;

    public ReportIntake(Storage storage, IncidentService incidents, IntakeSettings settings, RunAttacher runs, ObjectMapper mapper) {
        this.storage = storage;
        this.incidents = incidents;
        this.settings = settings;
        this.runs = runs;
        this.mapper = mapper;
    }

    /** What came of a report. */
    public sealed interface Result permits Accepted, RateLimited {
    }

    /** Stored and triaged. */
    public record Accepted(String report, IncidentKey incident, boolean joinedExisting) implements Result {
    }

    /** Over the form's rate; try again after {@code retryAfter}. Nothing was stored. */
    public record RateLimited(Duration retryAfter) implements Result {
    }

    public Result accept(ReportRequest report) {
        Instant now = storage.clock().instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        int count = storage.inTransaction(tx -> {
            ReportDao reports = tx.attach(ReportDao.class);
            reports.forgetRatesBefore(window.minus(RATE_MEMORY));
            return reports.countRequest(report.form(), window);
        });
        if (count > settings.ratePerMinute()) {
            return new RateLimited(Duration.between(now, window.plus(Duration.ofMinutes(1))).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS));
        }
        Accepted accepted = storage.inTransaction(tx -> store(tx, report, now));
        LogContext.incident(accepted.incident());
        incidents.wakeJobs();
        return accepted;
    }

    private Accepted store(Storage.Tx tx, ReportRequest report, Instant now) {
        ReportDao reports = tx.attach(ReportDao.class);
        Optional<Long> existing = report.runId().flatMap(reports::openIncidentWithRun)
                .or(() -> report.workflow().flatMap(wf -> reports.openIncidentWithWorkflowSince(wf, now.minus(settings.triageWindow()))));
        Incident incident = existing.flatMap(id -> tx.incidents().lock(id)).orElseGet(() -> incidents.open(tx,
                new IncidentService.OpenRequest(title(report.description()), Optional.empty(), ReporterText.of(report.reporter()),
                        IncidentService.UNASSIGNED, settings.triageChannel(), "report")));
        boolean joined = existing.isPresent();
        long id = reports.insert(incident.id(), report.description(), report.reporter(), report.runId().orElse(null),
                report.source().orElse(null), report.workflow().orElse(null), report.occurredAt().orElse(null),
                report.customerRef().orElse(null), report.severityHint().orElse(null), report.form(), now, joined);
        ObjectNode details = mapper.createObjectNode();
        details.put("report", "RPT-" + id);
        details.put("form", report.form());
        details.put("text", TextLimits.cut(report.description(), 1000));
        report.runId().ifPresent(r -> details.put("run_id", r));
        report.workflow().ifPresent(w -> details.put("workflow", w));
        report.severityHint().ifPresent(h -> details.put("severity_hint", h.name()));
        details.put("joined_existing", joined);
        incidents.record(tx, incident.key(), ReporterText.of(report.reporter()), EventKinds.REPORT_RECEIVED, details);
        boolean runAlreadyReported = joined && report.runId().isPresent()
                && reports.forIncident(incident.id()).stream().filter(r -> r.runId().equals(report.runId())).count() > 1;
        if (report.runId().isPresent() && !runAlreadyReported) {
            runs.attach(tx, incident.key(), report.runId().get(), report.source(), ReporterText.of(report.reporter()), id);
        }
        tx.jobs().enqueue(NOTICE_JOB, String.valueOf(id), now);
        return new Accepted("RPT-" + id, incident.key(), joined);
    }

    /** The first line of the description, cut to fit a card header. */
    static String title(String description) {
        String firstLine = description.strip().lines().findFirst().orElse("User report");
        return TextLimits.cut(firstLine, 120);
    }
}
