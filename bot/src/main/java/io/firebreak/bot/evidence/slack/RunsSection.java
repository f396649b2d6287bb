package io.firebreak.bot.evidence.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.evidence.EvidenceField;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.evidence.EvidenceFetch;
import io.firebreak.storage.evidence.EvidenceSnapshot;
import io.firebreak.storage.evidence.FailurePointRecord;
import io.firebreak.storage.evidence.FetchState;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.incident.Incident;
import java.util.List;
import java.util.Optional;

/**
 * The incident card's investigation part: the attached runs with where their evidence stands, the failure point
 * (or the one the evidence suggests, never set without a person), and the buttons to attach runs and to set the
 * failure point. Two sections and one row of buttons, whatever the number of runs.
 */
public final class RunsSection implements CardSection {
    /** The card's "Attach run" button; its value is the incident key. */
    static final String ATTACH_RUN = "incident_attach_run";
    /** The card's "Set failure point" button; its value is the incident key. */
    static final String CAUSE = "incident_cause";

    static final int RUNS_SHOWN = 8;

    private final EvidenceService evidence;

    public RunsSection(EvidenceService evidence) {
        this.evidence = evidence;
    }

    @Override
    public List<LayoutBlock> blocks(Incident incident) {
        List<EvidenceService.RunStatus> runs = evidence.runs(incident.id());
        Optional<FailurePointRecord> point = evidence.failurePoint(incident.id());
        String key = incident.key().toString();
        return List.of(
                section(s -> s.text(markdownText(BlockKit.cut(runs(runs, key), BlockKit.SECTION_TEXT)))),
                section(s -> s.text(markdownText(BlockKit.cut(failurePoint(incident, point), BlockKit.SECTION_TEXT)))),
                actions(a -> a.elements(List.of(
                        button(b -> b.actionId(ATTACH_RUN).value(key).text(plainText("Attach run"))),
                        button(b -> b.actionId(CAUSE).value(key).text(plainText("Set failure point")))))));
    }

    private static String runs(List<EvidenceService.RunStatus> runs, String key) {
        if (runs.isEmpty()) {
            return "*Runs*: none attached yet";
        }
        StringBuilder out = new StringBuilder("*Runs* (" + runs.size() + ")\n");
        runs.stream()
                .limit(RUNS_SHOWN)
                .forEach(run -> out.append("• ")
                        .append(EvidenceSummary.code(run.attachment().runId()))
                        .append(' ')
                        .append(run.attachment().source().label())
                        .append(" · ")
                        .append(state(run))
                        .append('\n'));
        if (runs.size() > RUNS_SHOWN) {
            out.append("…and ")
                    .append(runs.size() - RUNS_SHOWN)
                    .append(" more: `GET /api/incidents/")
                    .append(key)
                    .append("/runs` lists them all");
        }
        return out.toString().stripTrailing();
    }

    private static String state(EvidenceService.RunStatus run) {
        Optional<EvidenceFetch> fetch = run.latestFetch();
        String snapshot = run.latestSnapshot().map(s -> snapshot(run, s)).orElse("");
        if (fetch.isPresent() && fetch.get().state() == FetchState.PENDING) {
            String trying =
                    fetch.get().attempts() > 0 && fetch.get().lastProblem().isPresent()
                            ? ":hourglass_flowing_sand: still trying: "
                                    + EvidenceSummary.safe(TextLimits.cut(
                                            fetch.get().lastProblem().get(), 100))
                            : ":hourglass_flowing_sand: fetching";
            return snapshot.isEmpty() ? trying : snapshot + " · " + trying;
        }
        if (fetch.isPresent() && fetch.get().state() == FetchState.FAILED) {
            String failed = ":x: "
                    + EvidenceSummary.safe(
                            TextLimits.cut(fetch.get().lastProblem().orElse("fetch failed"), 120));
            return snapshot.isEmpty() ? failed : snapshot + " · last fetch failed: " + failed;
        }
        return snapshot.isEmpty() ? "no evidence yet" : snapshot;
    }

    private static String snapshot(EvidenceService.RunStatus run, EvidenceSnapshot s) {
        int present = run.normalized().map(n -> n.presentFields().size()).orElse(0);
        return ":white_check_mark: snapshot " + s.seq() + " · " + present + "/" + EvidenceField.values().length
                + " fields · `"
                + s.sha256().substring(0, 12) + "`" + (s.truncated() ? " · truncated" : "")
                + (s.parseStatus() == ParseStatus.UNPARSABLE ? " · not JSON" : "");
    }

    private String failurePoint(Incident incident, Optional<FailurePointRecord> point) {
        if (point.isPresent()) {
            FailurePointRecord p = point.get();
            return "*Failure point*: `" + p.point().name() + "` · " + BlockKit.escaped(p.explanation(), 500)
                    + " (set by " + SlackText.user(p.setBy()) + ")";
        }
        return "*Failure point*: not set"
                + evidence.suggestion(incident.id())
                        .map(s -> " · the evidence suggests `"
                                + s.suggestion().point().name() + "`: "
                                + EvidenceSummary.safe(
                                        TextLimits.cut(s.suggestion().reason(), 200)) + " (run "
                                + EvidenceSummary.code(s.runId()) + ")")
                        .orElse("");
    }
}
