package io.firebreak.bot.postmortem;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.AssessmentDao;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.intake.Report;
import io.firebreak.storage.intake.ReportDao;
import io.firebreak.storage.postmortem.Correction;
import io.firebreak.storage.postmortem.FollowUp;
import io.firebreak.storage.postmortem.PostmortemDao;
import io.firebreak.storage.timeline.ChainVerification;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Writes an incident's postmortem in Markdown from what is stored, never from memory: summary, impact and
 * severity history, times to contain and resolve, the features' sections (containment, evidence, failure point),
 * correction and verification, follow-ups, reports, and the whole timeline in UTC.
 */
public final class PostmortemWriter {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final List<PostmortemSection> sections;

    /** Writes postmortems with the features' {@code sections} after the severity history, in the order given. */
    public PostmortemWriter(Storage storage, List<PostmortemSection> sections) {
        this.storage = storage;
        this.sections = List.copyOf(sections);
    }

    /** The postmortem of {@code key}, or empty when there is no such incident. */
    public Optional<String> write(IncidentKey key) {
        return storage.inTransaction(tx -> tx.incidents().find(key.id()).map(incident -> write(tx, incident)));
    }

    private String write(Storage.Tx tx, Incident incident) {
        List<TimelineEvent> events = tx.timeline().events(incident.id());
        ChainVerification chain = tx.timeline().verify(incident.id());
        PostmortemDao dao = tx.attach(PostmortemDao.class);
        List<Correction> corrections = dao.corrections(incident.id());
        List<FollowUp> followUps = dao.followUps(incident.id());
        List<Report> reports = tx.attach(ReportDao.class).forIncident(incident.id());
        StringBuilder md = new StringBuilder(64 * 1024 + events.size() * 160);

        md.append("# ")
                .append(incident.key())
                .append(": ")
                .append(inline(incident.title()))
                .append("\n\n");
        md.append("_Generated ")
                .append(UTC.format(storage.clock().instant()))
                .append(" from Firebreak's record of the incident. ")
                .append("Timeline integrity: ")
                .append(
                        chain.ok()
                                ? "verified, " + chain.events() + " events hash-chained."
                                : "**BROKEN at event "
                                        + chain.firstBroken().get().seq() + "** ("
                                        + chain.firstBroken().get().reason() + ").")
                .append("_\n\n");

        md.append("## Summary\n\n");
        row(
                md,
                "Severity",
                incident.severity().map(Enum::name).orElse("not assessed")
                        + incident.severityReason()
                                .map(r -> " (" + inline(r) + ")")
                                .orElse(""));
        row(md, "Phase", incident.phase().name());
        row(
                md,
                "Opened",
                UTC.format(incident.openedAt()) + " by " + inline(incident.reporter()) + " via " + incident.source());
        row(md, "Commander", inline(incident.commander()));
        Optional<Instant> contained = firstPhase(events, "CONTAINED");
        Optional<Instant> resolved = firstPhase(events, "RESOLVED");
        row(
                md,
                "Time to contain",
                contained
                        .map(t -> duration(Duration.between(incident.openedAt(), t)) + " (contained " + UTC.format(t)
                                + ")")
                        .orElse("not contained"));
        row(
                md,
                "Time to resolve",
                resolved.map(t -> duration(Duration.between(incident.openedAt(), t)) + " (resolved " + UTC.format(t)
                                + ")")
                        .orElse("not resolved"));
        row(md, "User reports", String.valueOf(reports.size()));
        md.append('\n');

        md.append("## Impact and severity history\n\n");
        List<AssessmentDao.StoredAssessment> assessments =
                tx.attach(AssessmentDao.class).forIncident(incident.id());
        boolean any = false;
        for (TimelineEvent e : events) {
            if (e.kind().equals(EventKinds.OPENED) && e.details().hasNonNull("severity")) {
                md.append("- ")
                        .append(UTC.format(e.at()))
                        .append(": opened as ")
                        .append(e.details().get("severity").asText())
                        .append(" by ")
                        .append(inline(e.actor()))
                        .append('\n');
                any = true;
            } else if (e.kind().equals(EventKinds.ASSESSED)) {
                JsonNode a = e.details().path("answers");
                md.append("- ")
                        .append(UTC.format(e.at()))
                        .append(": assessed ")
                        .append(e.details().path("to").asText())
                        .append(" by ")
                        .append(inline(e.actor()))
                        .append(", because ")
                        .append(inline(e.details().path("reason").asText()))
                        .append(". Answers: caught before users ")
                        .append(yesNo(a.path("caught_before_users")))
                        .append("; breadth ")
                        .append(a.path("breadth").asText().toLowerCase().replace('_', ' '))
                        .append("; exposure ")
                        .append(
                                a.path("exposures").isEmpty()
                                        ? "none"
                                        : a.path("exposures").toString())
                        .append("; irreversible actions ")
                        .append(yesNo(a.path("irreversible_actions")))
                        .append("; clear correction path ")
                        .append(yesNo(a.path("clear_correction_path")))
                        .append('\n');
                any = true;
            } else if (e.kind().equals(EventKinds.SEVERITY_CHANGED)) {
                md.append("- ")
                        .append(UTC.format(e.at()))
                        .append(": overridden from ")
                        .append(
                                e.details().path("from").isNull()
                                        ? "not assessed"
                                        : e.details().path("from").asText())
                        .append(" to ")
                        .append(e.details().path("to").asText())
                        .append(" by ")
                        .append(inline(e.actor()))
                        .append(": ")
                        .append(inline(e.details().path("reason").asText()))
                        .append('\n');
                any = true;
            }
        }
        if (!any) {
            md.append("The severity was never set.\n");
        }
        md.append("\n").append(assessments.size()).append(" assessment(s) kept with their answers.\n\n");

        for (PostmortemSection section : sections) {
            md.append("## ")
                    .append(section.title())
                    .append("\n\n")
                    .append(section.markdown(tx, incident).strip())
                    .append("\n\n");
        }

        md.append("## Correction and verification\n\n");
        if (corrections.isEmpty()) {
            md.append("No correction was recorded.\n\n");
        } else {
            md.append(
                    "| recorded | what changed | new version | evaluation | result | rollout | by |\n|---|---|---|---|---|---|---|\n");
            for (Correction c : corrections) {
                md.append("| ")
                        .append(UTC.format(c.recordedAt()))
                        .append(" | ")
                        .append(c.whatChanged().name())
                        .append(c.description().map(d -> ": " + cell(d)).orElse(""))
                        .append(" | `")
                        .append(cell(c.newVersion()))
                        .append("` | ")
                        .append(c.evalName().map(PostmortemWriter::cell).orElse("none"))
                        .append(c.evalLink().map(l -> " (" + cell(l) + ")").orElse(""))
                        .append(" | ")
                        .append(c.evalResult().name())
                        .append(" | ")
                        .append(c.rollout().name())
                        .append(" | ")
                        .append(cell(c.recordedBy()))
                        .append(" |\n");
            }
            md.append('\n');
        }

        md.append("## Follow-ups\n\n");
        if (followUps.isEmpty()) {
            md.append("None yet.\n\n");
        } else {
            for (FollowUp f : followUps) {
                md.append("- **")
                        .append(f.key())
                        .append("** ")
                        .append(f.kind().name())
                        .append(": ");
                switch (f.kind()) {
                    case REGRESSION_CASE ->
                        md.append("from run `")
                                .append(f.sourceRunId().orElse("?"))
                                .append("`; expected: ")
                                .append(inline(f.expectedBehavior().orElse(f.text())))
                                .append("; failure point ")
                                .append(f.failurePoint().orElse("not named"))
                                .append(f.tags().isEmpty() ? "" : "; tags " + String.join(", ", f.tags()));
                    case OWNER -> md.append("owner ").append(f.owner().orElse("?"));
                    default -> md.append(inline(f.text()));
                }
                f.owner()
                        .filter(o -> f.kind() != FollowUp.Kind.OWNER)
                        .ifPresent(o -> md.append(" (owner ").append(o).append(')'));
                md.append(" — added by ")
                        .append(inline(f.createdBy()))
                        .append(' ')
                        .append(UTC.format(f.createdAt()))
                        .append('\n');
            }
            md.append('\n');
        }

        if (!reports.isEmpty()) {
            md.append("## User reports\n\n");
            for (Report r : reports) {
                md.append("- **")
                        .append(r.key())
                        .append("** ")
                        .append(UTC.format(r.receivedAt()))
                        .append(" from ")
                        .append(inline(r.reporter()))
                        .append(" (form ")
                        .append(inline(r.form()))
                        .append(")")
                        .append(r.runId().map(x -> ", run `" + x + "`").orElse(""))
                        .append(": ")
                        .append(inline(TextLimits.cut(r.description(), 500)))
                        .append('\n');
            }
            md.append('\n');
        }

        md.append("## Timeline (UTC)\n\n| # | time | who | what |\n|---|---|---|---|\n");
        for (TimelineEvent e : events) {
            md.append("| ")
                    .append(e.seq())
                    .append(" | ")
                    .append(UTC.format(e.at()))
                    .append(" | ")
                    .append(cell(e.actor()))
                    .append(" | ")
                    .append(cell(describe(e)))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static Optional<Instant> firstPhase(List<TimelineEvent> events, String phase) {
        return events.stream()
                .filter(e -> e.kind().equals(EventKinds.PHASE_CHANGED)
                        && e.details().path("to").asText().equals(phase))
                .map(TimelineEvent::at)
                .findFirst();
    }

    /** One line per event: its kind, then what its details say. */
    static String describe(TimelineEvent e) {
        JsonNode d = e.details();
        String text = d.hasNonNull("text")
                ? d.get("text").asText()
                : d.hasNonNull("reason") ? d.get("reason").asText() : "";
        String change = d.hasNonNull("to")
                ? (d.hasNonNull("from") ? d.get("from").asText() + " → " : "→ ")
                        + d.get("to").asText()
                : "";
        StringBuilder out = new StringBuilder(e.kind().replace('_', ' '));
        if (!change.isEmpty()) {
            out.append(": ").append(change);
        }
        if (!text.isEmpty()) {
            out.append(change.isEmpty() ? ": " : " — ").append(TextLimits.cut(text, 300));
        }
        return out.toString();
    }

    static String duration(Duration d) {
        if (d.toMinutes() < 1) {
            return d.toSeconds() + " s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }

    private static void row(StringBuilder md, String label, String value) {
        md.append("- **").append(label).append(":** ").append(value).append('\n');
    }

    private static String yesNo(JsonNode node) {
        return node.asBoolean() ? "yes" : "no";
    }

    /** Text on one Markdown line: newlines folded. */
    static String inline(String text) {
        return text.replace("\r", "").replace('\n', ' ');
    }

    /** Text in a Markdown table cell: one line, pipes escaped. */
    static String cell(String text) {
        return inline(text).replace("|", "\\|");
    }
}
