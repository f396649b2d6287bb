package io.firebreak.bot.evidence.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.evidence.EvidenceField;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.evidence.FieldValue;
import io.firebreak.bot.evidence.NormalizedRun;
import io.firebreak.bot.evidence.SnapshotDiff;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.evidence.EvidenceSnapshot;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.RunAttachment;
import io.firebreak.storage.incident.IncidentKey;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages an incident's thread gets about a run's evidence: the summary of a new snapshot (completeness
 * per field, prompt version, tools and their outcome, errors, what changed, a suggested failure point, the
 * link to the stored evidence), that a fetch is still being retried, or why it failed. Everything taken from a
 * trace is escaped and stripped of anything that looks like a credential, and every block stays within Slack's
 * limits.
 */
public final class EvidenceSummary {
    static final int SECTION_MAX = 3000;
    static final int LIST_MAX = 10;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Optional<URI> publicUrl;
    private final String command;

    /**
     * @param publicUrl where people reach the bot ({@code FIREBREAK_PUBLIC_URL}), for the link to the evidence
     * @param command   the slash command, for the commands the messages suggest
     */
    public EvidenceSummary(Optional<URI> publicUrl, String command) {
        this.publicUrl = publicUrl;
        this.command = command;
    }

    /** A message: fallback text and blocks. */
    public record Message(String text, List<LayoutBlock> blocks) {}

    /** What the thread is told about {@code notice}, at the moment {@code what} of its fetch. */
    public Message render(EvidenceService.FetchNotice notice, EvidenceService.ThreadNotice.What what) {
        IncidentKey key = notice.incident().key();
        RunAttachment run = notice.attachment();
        String runId = code(run.runId());
        String source = notice.fetch().source().label();
        if (what == EvidenceService.ThreadNotice.What.RETRYING) {
            String text = ":hourglass_flowing_sand: Fetching run " + runId + " from " + source + " for " + key + ": "
                    + safe(notice.fetch().lastProblem().orElse(source + " did not answer")) + ". Still trying (attempt "
                    + notice.fetch().attempts() + " of " + notice.maxAttempts() + " failed"
                    + notice.fetch()
                            .nextAttemptAt()
                            .map(at -> "; next try at " + TIME.format(at) + " UTC")
                            .orElse("") + ").";
            return single(text);
        }
        if (what == EvidenceService.ThreadNotice.What.FAILED
                || notice.snapshot().isEmpty()) {
            String text = ":x: Could not fetch run " + runId + " from " + source + " for " + key + ": "
                    + safe(notice.fetch().lastProblem().orElse("unknown problem")) + ". Nothing was stored. "
                    + "Check the run ID and the source, then attach it again: `" + command + " run " + key + " "
                    + SlackText.escape(run.runId()) + " "
                    + notice.fetch().source().word() + "`";
            return single(text);
        }
        if (notice.fetch().unchangedSince().isPresent()) {
            EvidenceSnapshot same = notice.snapshot().get();
            return single(":white_check_mark: Re-checked run " + runId + " in " + source + " for " + key
                    + ": unchanged since snapshot " + same.seq() + " (same SHA-256 `"
                    + same.sha256().substring(0, 12) + "…`), so nothing new was stored.");
        }
        return summary(key, run, notice.snapshot().get());
    }

    private Message summary(IncidentKey key, RunAttachment run, EvidenceSnapshot snapshot) {
        NormalizedRun evidence = NormalizedRun.parse(snapshot.normalized());
        List<LayoutBlock> blocks = new ArrayList<>();
        String title = ":mag: *Evidence frozen* for run " + code(run.runId()) + " from "
                + snapshot.source().label() + " · snapshot " + snapshot.seq() + " of " + key;
        blocks.add(section(title));
        if (snapshot.truncated()) {
            blocks.add(section(
                    ":warning: The trace was longer than the size limit: it is stored up to the limit and marked truncated"
                            + (snapshot.parseStatus() == ParseStatus.PARTIAL
                                    ? "; fields were read up to the cut."
                                    : "; it could not be read.")));
        }
        if (snapshot.parseStatus() == ParseStatus.UNPARSABLE) {
            blocks.add(
                    section(":warning: The response is not JSON: it is kept raw, byte for byte, and marked unparsable; "
                            + "no field could be read from it."));
        }
        blocks.add(section(checklist(evidence)));
        blocks.add(section("*Prompt*: " + prompt(evidence)));
        blocks.add(section(tools(evidence)));
        blocks.add(section(errors(evidence)));
        approvals(evidence).ifPresent(a -> blocks.add(section(a)));
        snapshot.changes().map(EvidenceSummary::changes).ifPresent(c -> blocks.add(section(c)));
        evidence.suggestion()
                .ifPresent(s -> blocks.add(section(
                        ":bulb: *Suggested failure point*: `" + s.point().name() + "`: "
                                + safe(s.reason()) + ". Not set: a responder decides, with `" + command + " cause "
                                + key + " " + s.point().name()
                                + " <why>` or the card's *Set failure point* button.")));
        List<String> context = new ArrayList<>();
        context.add("SHA-256 `" + snapshot.sha256() + "` · " + size(snapshot.bytes()) + " · " + link(key, run.runId()));
        evidence.notes().forEach(n -> context.add(safe(n)));
        blocks.add(context(c -> c.elements(context.stream()
                .limit(10)
                .map(t -> (com.slack.api.model.block.ContextBlockElement) markdownText(BlockKit.cut(t, SECTION_MAX)))
                .toList())));
        String text = "Evidence frozen for run " + TextLimits.cut(run.runId(), 80) + " (" + key + "): "
                + evidence.presentFields().size() + " of " + EvidenceField.values().length + " fields present";
        return new Message(text, blocks);
    }

    /** The completeness checklist: present or missing per field, with why a field is missing. */
    static String checklist(NormalizedRun evidence) {
        StringBuilder out = new StringBuilder("*Completeness*: "
                + evidence.presentFields().size() + " of " + EvidenceField.values().length + " fields present\n");
        for (EvidenceField field : EvidenceField.values()) {
            FieldValue value = evidence.field(field);
            if (value.present()) {
                out.append(":white_check_mark: ")
                        .append(field.label())
                        .append(count(field, value))
                        .append('\n');
            } else {
                // The reason without what was looked for; the stored evidence has it all.
                String reason = value.reason().orElse("not in the trace").split(" \\(", 2)[0];
                out.append(":x: ")
                        .append(field.label())
                        .append(": missing (")
                        .append(safe(TextLimits.cut(reason, 110)))
                        .append(")\n");
            }
        }
        return out.toString().stripTrailing();
    }

    /** How many, for the fields that are lists (and the steps of the workflow path). */
    private static String count(EvidenceField field, FieldValue value) {
        return switch (field) {
            case ERRORS ->
                value.value().isEmpty()
                        ? " (none recorded)"
                        : " (" + value.value().size() + ")";
            case RETRIEVED_SOURCES, TOOL_CALLS, APPROVAL_DECISIONS ->
                " (" + value.value().size() + ")";
            case WORKFLOW_PATH -> " (" + value.value().path("steps").asInt() + " steps)";
            default -> "";
        };
    }

    private static String prompt(NormalizedRun evidence) {
        FieldValue name = evidence.field(EvidenceField.PROMPT_NAME);
        FieldValue version = evidence.field(EvidenceField.PROMPT_VERSION);
        String n = name.present() ? code(name.value().asText()) : "name missing";
        String v = version.present() ? "version " + code(version.value().asText()) : "version missing";
        return n + " · " + v;
    }

    private static String tools(NormalizedRun evidence) {
        FieldValue tools = evidence.field(EvidenceField.TOOL_CALLS);
        if (!tools.present()) {
            return "*Tools called*: none in the trace";
        }
        StringBuilder out = new StringBuilder("*Tools called* (" + tools.value().size() + ")\n");
        int shown = 0;
        for (JsonNode call : tools.value()) {
            if (shown++ == LIST_MAX) {
                out.append("…and ").append(tools.value().size() - LIST_MAX).append(" more\n");
                break;
            }
            String outcome = call.path("outcome").asText();
            out.append("• ")
                    .append(code(call.path("tool").asText("?")))
                    .append(" → ")
                    .append(outcome.equals("error") ? ":x: error" : outcome.equals("ok") ? "ok" : safe(outcome));
            String error = call.path("error").asText("");
            if (!error.isBlank()) {
                out.append(": ").append(safe(TextLimits.cut(error, 150)));
            }
            out.append('\n');
        }
        return BlockKit.cut(out.toString().stripTrailing(), SECTION_MAX);
    }

    private static String errors(NormalizedRun evidence) {
        FieldValue errors = evidence.field(EvidenceField.ERRORS);
        if (!errors.present()) {
            return "*Errors*: not recorded by the trace";
        }
        if (errors.value().isEmpty()) {
            return "*Errors*: none recorded";
        }
        StringBuilder out = new StringBuilder("*Errors* (" + errors.value().size() + ")\n");
        int shown = 0;
        for (JsonNode error : errors.value()) {
            if (shown++ == LIST_MAX) {
                out.append("…and ").append(errors.value().size() - LIST_MAX).append(" more\n");
                break;
            }
            out.append("• ").append(code(error.path("step").asText("?")));
            String message = error.path("message").asText("");
            out.append(message.isBlank() ? " failed" : ": " + safe(TextLimits.cut(message, 200)))
                    .append('\n');
        }
        return BlockKit.cut(out.toString().stripTrailing(), SECTION_MAX);
    }

    private static Optional<String> approvals(NormalizedRun evidence) {
        FieldValue approvals = evidence.field(EvidenceField.APPROVAL_DECISIONS);
        if (!approvals.present()) {
            return Optional.empty();
        }
        StringBuilder out =
                new StringBuilder("*Approval decisions* (" + approvals.value().size() + ")\n");
        int shown = 0;
        for (JsonNode approval : approvals.value()) {
            if (shown++ == LIST_MAX) {
                out.append("…and more\n");
                break;
            }
            out.append("• ").append(safe(approval.path("decision").asText()));
            optionalText(approval, "action").ifPresent(a -> out.append(" for ").append(code(a)));
            optionalText(approval, "approver").ifPresent(a -> out.append(" by ").append(safe(a)));
            optionalText(approval, "reason").ifPresent(r -> out.append(": ").append(safe(TextLimits.cut(r, 150))));
            out.append('\n');
        }
        return Optional.of(BlockKit.cut(out.toString().stripTrailing(), SECTION_MAX));
    }

    private static String changes(String changesJson) {
        return ":arrows_counterclockwise: *Changes* " + safe(TextLimits.cut(SnapshotDiff.summary(changesJson), 1500));
    }

    /** The read API's address of the run's stored evidence, as a link when the bot's public URL is known. */
    String link(IncidentKey key, String runId) {
        String path = "/api/incidents/" + key + "/runs/"
                + URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20");
        return publicUrl
                .map(u -> "<" + trimmed(u.toString()) + path + "|stored evidence (raw and normalized)>")
                .orElse("stored evidence: `GET " + path
                        + "` (raw and normalized; set FIREBREAK_PUBLIC_URL for a link)");
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f kB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** Text from a trace or a backend, safe for mrkdwn: credentials masked, markup escaped. */
    static String safe(String text) {
        return SlackText.escape(Redactor.redact(text));
    }

    /** Text from a trace in a code span: credentials masked, backticks removed, cut to a readable length. */
    static String code(String text) {
        return "`" + safe(TextLimits.cut(text, 80)).replace("`", "'") + "`";
    }

    private static LayoutBlock section(String mrkdwn) {
        return com.slack.api.model.block.Blocks.section(s -> s.text(markdownText(BlockKit.cut(mrkdwn, SECTION_MAX))));
    }

    private static Message single(String mrkdwn) {
        return new Message(BlockKit.cut(mrkdwn, 300), List.of(section(mrkdwn)));
    }

    /** The text of {@code node.field}, empty when absent, null or blank. */
    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() || value.asText().isBlank()
                ? Optional.empty()
                : Optional.of(value.asText());
    }
}
