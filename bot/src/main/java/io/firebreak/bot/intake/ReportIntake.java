package io.firebreak.bot.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.config.IntakeSettings;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Teams;
import io.firebreak.storage.intake.ReplayDao;
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
    /** How long an answered signature is remembered: longer than a signature is accepted either side of now. */
    public static final Duration REPLAY_MEMORY = Duration.ofMinutes(15);
    /** The rate key that counts every form's requests. Form names are what a form says, so one key counts them all. */
    static final String ALL_FORMS = " all forms";
    /** All forms together may send this many times one form's rate. */
    static final int ALL_FORMS_FACTOR = 4;

    private final Storage storage;
    private final IncidentService incidents;
    private final IntakeSettings settings;
    private final RunAttacher runs;
    private final ObjectMapper mapper;
    private final ReportListener listener;
    private final Tenancy tenancy;

    public ReportIntake(
            Storage storage,
            IncidentService incidents,
            IntakeSettings settings,
            RunAttacher runs,
            ObjectMapper mapper,
            ReportListener listener,
            Tenancy tenancy) {
        this.listener = listener;
        this.tenancy = tenancy;
        this.storage = storage;
        this.incidents = incidents;
        this.settings = settings;
        this.runs = runs;
        this.mapper = mapper;
    }

    /** What came of a report. */
    public sealed interface Result permits Accepted, RateLimited {}

    /** Stored and triaged. */
    public record Accepted(String report, IncidentKey incident, boolean joinedExisting, Optional<String> runNotAttached)
            implements Result {}

    /** Over the form's rate; try again after {@code retryAfter}. Nothing was stored. */
    public record RateLimited(Duration retryAfter) implements Result {}

    public Result accept(ReportRequest report) {
        return accept(report, Optional.empty());
    }

    /**
     * As {@link #accept(ReportRequest)}; a request whose {@code signature} was answered before (within
     * {@link #REPLAY_MEMORY}) is answered the same way again and stores nothing, nor counts against any rate.
     */
    public Result accept(ReportRequest report, Optional<String> signature) {
        Instant now = storage.clock().instant();
        Optional<Accepted> replayed = signature.flatMap(sig -> storage.inTransaction(tx -> answered(tx, sig)));
        if (replayed.isPresent()) {
            return replayed.get();
        }
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        boolean limited = storage.inTransaction(tx -> {
            ReportDao reports = tx.attach(ReportDao.class);
            reports.forgetRatesBefore(window.minus(RATE_MEMORY));
            // The form names itself, so it alone cannot bound the work: all forms together have a limit too.
            return reports.countRequest(report.form(), window) > settings.ratePerMinute()
                    | reports.countRequest(ALL_FORMS, window) > settings.ratePerMinute() * ALL_FORMS_FACTOR;
        });
        if (limited) {
            return new RateLimited(Duration.between(now, window.plus(Duration.ofMinutes(1)))
                    .plusSeconds(1)
                    .truncatedTo(ChronoUnit.SECONDS));
        }
        Accepted accepted;
        try {
            accepted = storage.inTransaction(tx -> {
                Accepted stored = store(tx, report, now);
                if (signature.isPresent()) {
                    ReplayDao replays = tx.attach(ReplayDao.class);
                    replays.forgetBefore(now.minus(REPLAY_MEMORY));
                    if (!replays.remember(
                            signature.get(),
                            now,
                            stored.report(),
                            stored.incident().id(),
                            stored.joinedExisting())) {
                        throw new Replayed();
                    }
                }
                return stored;
            });
        } catch (Replayed e) {
            // The same request arrived twice at once: the first one's report is the answer, this one's was rolled back.
            return storage.inTransaction(tx -> answered(tx, signature.get())).orElseThrow();
        }
        LogContext.incident(accepted.incident());
        incidents.wakeJobs();
        return accepted;
    }

    private Accepted store(Storage.Tx tx, ReportRequest report, Instant now) {
        ReportDao reports = tx.attach(ReportDao.class);
        // The forms' workspace (FIREBREAK_INTAKE_TEAM): a report joins only an incident of that workspace, found as
        // such by the lookup itself (a newer incident of another workspace about the same run must not hide it).
        Workspace workspace = tenancy.configured(settings.team());
        Teams joinable = tenancy.joinableBy(workspace);
        Optional<Long> existing = report.runId()
                .flatMap(run -> reports.openIncidentWithRun(run, joinable))
                .or(() -> report.workflow()
                        .flatMap(wf -> reports.openIncidentWithWorkflowSince(
                                wf, now.minus(settings.triageWindow()), joinable)));
        Incident incident = existing.flatMap(id -> tx.incidents().lock(id))
                .filter(i -> joinable.includes(i.teamId()))
                .orElseGet(() -> incidents.open(
                        tx,
                        new IncidentService.OpenRequest(
                                        title(report.description()),
                                        Optional.empty(),
                                        ReporterText.of(report.reporter()),
                                        IncidentService.UNASSIGNED,
                                        settings.triageChannel(),
                                        "report")
                                .in(workspace)));
        boolean joined = existing.isPresent();
        long id = reports.insert(
                incident.id(),
                report.description(),
                report.reporter(),
                report.runId().orElse(null),
                report.source().orElse(null),
                report.workflow().orElse(null),
                report.occurredAt().orElse(null),
                report.customerRef().orElse(null),
                report.severityHint().orElse(null),
                report.form(),
                now,
                joined);
        ObjectNode details = mapper.createObjectNode();
        details.put("report", "RPT-" + id);
        details.put("form", report.form());
        details.put("text", TextLimits.cut(report.description(), 1000));
        report.runId().ifPresent(r -> details.put("run_id", r));
        report.workflow().ifPresent(w -> details.put("workflow", w));
        report.severityHint().ifPresent(h -> details.put("severity_hint", h.name()));
        details.put("joined_existing", joined);
        incidents.record(tx, incident.key(), ReporterText.of(report.reporter()), EventKinds.REPORT_RECEIVED, details);
        boolean runAlreadyReported = joined
                && report.runId().isPresent()
                && reports.forIncident(incident.id()).stream()
                                .filter(r -> r.runId().equals(report.runId()))
                                .count()
                        > 1;
        Optional<String> runNotAttached = Optional.empty();
        if (report.runId().isPresent() && !runAlreadyReported) {
            runNotAttached = runs.attach(
                    tx, incident.key(), report.runId().get(), report.source(), ReporterText.of(report.reporter()), id);
        }
        tx.jobs().enqueue(NOTICE_JOB, String.valueOf(id), now);
        listener.reported(tx, incident.key(), report.workflow(), report.runId());
        return new Accepted("RPT-" + id, incident.key(), joined, runNotAttached);
    }

    private static Optional<Accepted> answered(Storage.Tx tx, String signature) {
        return tx.attach(ReplayDao.class)
                .find(signature)
                .map(a -> new Accepted(a.report(), new IncidentKey(a.incidentId()), a.joined(), Optional.empty()));
    }

    /** Rolls back a report whose request another transaction answered first. */
    private static final class Replayed extends RuntimeException {
        Replayed() {
            super("replayed report request", null, false, false);
        }
    }

    /** The first line of the description, cut to fit a card header. */
    static String title(String description) {
        String firstLine = description.strip().lines().findFirst().orElse("User report");
        return TextLimits.cut(firstLine, 120);
    }
}
