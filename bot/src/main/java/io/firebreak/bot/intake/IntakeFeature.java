package io.firebreak.bot.intake;

import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.intake.slack.ReportNotices;
import io.firebreak.bot.intake.web.ReportsServlet;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.storage.evidence.TraceSource;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** User reports: signed forms posted to {@code /reports}, triaged into incidents, with a notice in Slack. */
public final class IntakeFeature implements Feature {
    private final ReportNotices notices;
    private final ReportsServlet servlet;

    /** @param listener told of each stored report in its transaction (the automation rules) */
    public IntakeFeature(Basics basics, IncidentService incidents, EvidenceService evidence, ReportListener listener) {
        // Runs in the same transaction as the report: Jdbi reuses this thread's open handle for nested transactions.
        RunAttacher runs =
                (tx, key, runId, source, actor, reportId) -> evidence.attach(new EvidenceService.AttachRequest(
                                        key,
                                        runId,
                                        source.flatMap(TraceSource::parse),
                                        actor,
                                        Optional.of("RPT-" + reportId)))
                                instanceof EvidenceService.AttachOutcome.Refused refused
                        ? Optional.of(refused.problem())
                        : Optional.empty();
        ReportIntake intake = new ReportIntake(
                basics.storage(),
                incidents,
                basics.config().intake(),
                runs,
                basics.mapper(),
                listener,
                basics.tenancy());
        this.notices = new ReportNotices(basics.storage(), incidents, basics.slack(), basics.clock());
        this.servlet = new ReportsServlet(
                basics.config().intake(), new ReportParser(basics.mapper()), intake, basics.json(), basics.clock());
    }

    @Override
    public List<Job> jobs() {
        return List.of(new Job(ReportIntake.NOTICE_JOB, notices::runJob));
    }

    @Override
    public Map<String, HttpServlet> routes() {
        return Map.of("/reports", servlet);
    }
}
