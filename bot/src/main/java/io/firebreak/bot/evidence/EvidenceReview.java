package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.incident.CloseGate;
import io.firebreak.bot.postmortem.PostmortemSection;
import io.firebreak.bot.postmortem.RunEvidence;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRunDao;
import io.firebreak.storage.evidence.FailurePointRecord;
import io.firebreak.storage.incident.Incident;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Run evidence at the end of an incident: the facts a regression case is built from, the close checklist's
 * "failure point named", and the postmortem's evidence per run (hash, completeness) and failure point.
 */
public final class EvidenceReview implements RunEvidence, CloseGate {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final EvidenceService evidence;

    public EvidenceReview(EvidenceService evidence) {
        this.evidence = evidence;
    }

    @Override
    public Optional<Facts> latest(long incidentId) {
        List<EvidenceService.RunStatus> runs = evidence.runs(incidentId).stream()
                .filter(r -> r.latestSnapshot().isPresent())
                .toList();
        return runs.isEmpty() ? Optional.empty() : facts(runs.get(runs.size() - 1));
    }

    @Override
    public Optional<Facts> run(long incidentId, String runId) {
        return evidence.runs(incidentId).stream()
                .filter(r -> r.attachment().runId().equals(runId)
                        && r.latestSnapshot().isPresent())
                .findFirst()
                .flatMap(this::facts);
    }

    @Override
    public Optional<String> failurePoint(long incidentId) {
        return evidence.failurePoint(incidentId).map(f -> f.point().name());
    }

    private Optional<Facts> facts(EvidenceService.RunStatus run) {
        return run.normalized()
                .map(n -> new Facts(
                        run.attachment().runId(),
                        value(n, EvidenceField.USER_INPUT),
                        value(n, EvidenceField.FINAL_OUTPUT)));
    }

    private static Optional<JsonNode> value(NormalizedRun run, EvidenceField field) {
        FieldValue value = run.field(field);
        return value.present() ? Optional.of(value.value()) : Optional.empty();
    }

    @Override
    public List<Item> checklist(Storage.Tx tx, Incident incident) {
        Optional<FailurePointRecord> point = evidence.failurePoint(incident.id());
        return List.of(new Item(
                "A failure point named",
                point.isPresent(),
                point.isPresent()
                        ? ""
                        : "say where it broke: `cause <PROMPT|RETRIEVAL|TOOL_PERMISSION|TOOL_VALIDATION|ROUTING_POLICY|APPROVAL_VIEW|"
                                + "KNOWLEDGE_SOURCE|MODEL|OTHER> <explanation>`"));
    }

    /**
     * The postmortem's evidence per run: a one-sentence summary of which agent and prompt version produced the bad
     * output, then source, snapshots, the latest snapshot's SHA-256 and completeness, then each run's facts.
     */
    public PostmortemSection runsSection() {
        return new PostmortemSection() {
            @Override
            public String title() {
                return "Evidence";
            }

            @Override
            public String markdown(Storage.Tx tx, Incident incident) {
                List<EvidenceService.RunStatus> runs = evidence.runs(incident.id());
                if (runs.isEmpty()) {
                    return "No agent run was attached.";
                }
                StringBuilder md = new StringBuilder();
                runs.stream()
                        .filter(r -> r.latestSnapshot().isPresent())
                        .reduce((a, b) -> b)
                        .ifPresent(latest -> md.append("**Summary**: ")
                                .append(PostmortemFacts.summary(
                                        latest.attachment().runId(),
                                        latest.normalized().orElseThrow()))
                                .append("\n\n"));
                md.append(
                        "| run | source | snapshots | latest frozen | SHA-256 | complete | missing |\n|---|---|---|---|---|---|---|\n");
                for (EvidenceService.RunStatus run : runs) {
                    md.append("| `")
                            .append(run.attachment().runId())
                            .append("` | ")
                            .append(run.attachment().source().label())
                            .append(" | ")
                            .append(run.snapshots())
                            .append(" | ");
                    if (run.latestSnapshot().isEmpty()) {
                        md.append("not yet | — | — | ")
                                .append(run.latestFetch()
                                        .map(f -> f.state().name().toLowerCase())
                                        .orElse("—"))
                                .append(" |\n");
                        continue;
                    }
                    var snapshot = run.latestSnapshot().get();
                    NormalizedRun normalized = run.normalized().orElseThrow();
                    List<EvidenceField> missing = java.util.Arrays.stream(EvidenceField.values())
                            .filter(f -> !normalized.field(f).present())
                            .toList();
                    md.append(UTC.format(snapshot.fetchedAt()))
                            .append(snapshot.truncated() ? " (truncated)" : "")
                            .append(" | `")
                            .append(snapshot.sha256())
                            .append("` | ")
                            .append(EvidenceField.values().length - missing.size())
                            .append('/')
                            .append(EvidenceField.values().length)
                            .append(" | ")
                            .append(
                                    missing.isEmpty()
                                            ? "none"
                                            : missing.stream()
                                                    .map(EvidenceField::label)
                                                    .collect(Collectors.joining(", ")))
                            .append(" |\n");
                }
                List<PostmortemFacts.PromptRollback> rollbacks = promptRollbacks(tx, incident);
                for (EvidenceService.RunStatus run : runs) {
                    run.latestSnapshot()
                            .ifPresent(snapshot -> md.append('\n')
                                    .append(PostmortemFacts.markdown(
                                            run.attachment().runId(),
                                            run.normalized().orElseThrow(),
                                            new PostmortemFacts.Snapshot(
                                                    incident.key().toString(), snapshot.seq(), snapshot.sha256()),
                                            rollbacks)));
                }
                return md.toString();
            }
        };
    }

    /**
     * Prompt rollbacks fired during the incident that kept the version live before them: containment actions with
     * a {@code prompt} parameter whose capture kept {@code previous_version} (the shipped {@code rollback-prompt}).
     */
    private static List<PostmortemFacts.PromptRollback> promptRollbacks(Storage.Tx tx, Incident incident) {
        return tx.attach(ContainmentRunDao.class).forIncident(incident.id()).stream()
                .filter(r -> r.parameters().containsKey("prompt")
                        && r.execution().captured().containsKey("previous_version"))
                .map(r -> new PostmortemFacts.PromptRollback(
                        r.parameters().get("prompt"),
                        r.parameters().getOrDefault("version", "?"),
                        r.execution().captured().get("previous_version")))
                .toList();
    }

    /** The postmortem's failure point: where it broke, why, who said so. */
    public PostmortemSection failurePointSection() {
        return new PostmortemSection() {
            @Override
            public String title() {
                return "Failure point";
            }

            @Override
            public String markdown(Storage.Tx tx, Incident incident) {
                return evidence.failurePoint(incident.id())
                        .map(f -> "**" + f.point().name() + "**: " + f.point().description() + ". "
                                + f.explanation().replace('\n', ' ') + " (named by " + f.setBy() + ", "
                                + UTC.format(f.setAt()) + ")")
                        .orElse("Not named.");
            }
        };
    }
}
