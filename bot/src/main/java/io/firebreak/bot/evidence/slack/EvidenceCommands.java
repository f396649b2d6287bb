package io.firebreak.bot.evidence.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.view;

import com.slack.api.bolt.App;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.Forms;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.Invocation;
import io.firebreak.bot.slack.Reply;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.storage.evidence.FailurePoint;
import io.firebreak.storage.evidence.FailurePointRecord;
import io.firebreak.storage.evidence.TraceSource;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code run} and {@code cause}, and the card's "Attach run" and "Set failure point" buttons with their modals:
 * parsing what people typed or chose, and rendering the answer. Decisions are {@link EvidenceService}'s.
 */
public final class EvidenceCommands implements SlackFeature {
    static final String RUN_USAGE = "run INC-<n> <run-id> [langfuse|langsmith|otel]";
    static final String CAUSE_USAGE = "cause INC-<n> <"
            + Arrays.stream(FailurePoint.values()).map(Enum::name).collect(Collectors.joining("|")) + "> <explanation>";
    static final String ATTACH_MODAL = "incident_attach_run_modal";
    static final String CAUSE_MODAL = "incident_cause_modal";
    /** Most run IDs one modal submission attaches. */
    static final int MODAL_RUNS_MAX = 20;

    private final EvidenceService evidence;
    private final IncidentService incidents;
    private final IncidentResolver resolver;
    private final SlackWebApi slack;

    public EvidenceCommands(
            EvidenceService evidence, IncidentService incidents, SlackWebApi slack, IncidentResolver resolver) {
        this.evidence = evidence;
        this.incidents = incidents;
        this.resolver = resolver;
        this.slack = slack;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand("run", RUN_USAGE, "attach an agent run and freeze its evidence", this::run),
                new Subcommand(
                        "cause", "cause INC-<n> <failure point> <explanation>", "record where it broke", this::cause));
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("run", Action.RUN_ATTACH)
            .subcommand("cause", Action.FAILURE_POINT)
            .blockAction(RunsSection.ATTACH_RUN, Action.RUN_ATTACH)
            .blockAction(RunsSection.CAUSE, Action.FAILURE_POINT)
            .view(ATTACH_MODAL, Action.RUN_ATTACH)
            .view(CAUSE_MODAL, Action.FAILURE_POINT)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.blockAction(RunsSection.ATTACH_RUN, (req, ctx) -> {
            openModal(
                    io.firebreak.bot.slack.SlackWorkspace.of(req),
                    req.getPayload().getTriggerId(),
                    attachModal(req.getPayload().getActions().get(0).getValue()));
            return ctx.ack();
        });
        app.blockAction(RunsSection.CAUSE, (req, ctx) -> {
            openModal(
                    io.firebreak.bot.slack.SlackWorkspace.of(req),
                    req.getPayload().getTriggerId(),
                    causeModal(req.getPayload().getActions().get(0).getValue()));
            return ctx.ack();
        });
        app.viewSubmission(ATTACH_MODAL, (req, ctx) -> {
            Map<String, String> errors = submitAttach(
                    req.getPayload().getView(), req.getPayload().getUser().getId());
            return errors.isEmpty() ? ctx.ack() : ctx.ackWithErrors(errors);
        });
        app.viewSubmission(CAUSE_MODAL, (req, ctx) -> {
            Map<String, String> errors = submitCause(
                    req.getPayload().getView(), req.getPayload().getUser().getId());
            return errors.isEmpty() ? ctx.ack() : ctx.ackWithErrors(errors);
        });
    }

    // ---------------------------------------------------------------- /incident run

    Reply run(Invocation in, String args) {
        IncidentResolver.Resolved resolved = resolver.resolve(in, args, RUN_USAGE);
        if (resolved.failed()) {
            return resolved.error().get();
        }
        IncidentKey key = resolved.get().key();
        String[] words = SlackText.decode(resolved.rest()).strip().split("\\s+");
        if (words[0].isEmpty()) {
            return Reply.error(
                    "Say which run: the trace ID or run ID from your tracing backend.", in.command(), RUN_USAGE);
        }
        if (words.length > 2) {
            return Reply.error(
                    "One run per command; the card's *Attach run* button takes several at once.",
                    in.command(),
                    RUN_USAGE);
        }
        Optional<TraceSource> source = Optional.empty();
        if (words.length == 2) {
            source = TraceSource.parse(words[1]);
            if (source.isEmpty()) {
                return Reply.error(
                        "`" + BlockKit.escaped(words[1], 40) + "` is not a source: use langfuse, langsmith or otel.",
                        in.command(),
                        RUN_USAGE);
            }
        }
        EvidenceService.AttachOutcome outcome = evidence.attach(
                new EvidenceService.AttachRequest(key, words[0], source, in.userId(), Optional.empty()));
        if (outcome instanceof EvidenceService.AttachOutcome.Refused refused) {
            return Reply.error(refused.problem(), in.command(), RUN_USAGE);
        }
        if (outcome instanceof EvidenceService.AttachOutcome.AlreadyFetching pending) {
            return Reply.ephemeral(alreadyFetching(key, pending));
        }
        return Reply.ephemeral(accepted(key, (EvidenceService.AttachOutcome.Accepted) outcome));
    }

    private static String accepted(IncidentKey key, EvidenceService.AttachOutcome.Accepted accepted) {
        String run = EvidenceSummary.code(accepted.attachment().runId());
        String source = accepted.attachment().source().label();
        if (accepted.snapshotsBefore() > 0) {
            return ":arrows_counterclockwise: Fetching run " + run + " from " + source + " again for " + key
                    + ": if it changed it becomes snapshot " + (accepted.snapshotsBefore() + 1) + ", beside the "
                    + accepted.snapshotsBefore()
                    + " kept (an identical trace is not stored twice); the thread will say what changed.";
        }
        return ":mag: Attached run " + run + " (" + source + ") to " + key
                + ". Fetching its trace now; the evidence summary " + "will be posted in the incident's thread.";
    }

    private static String alreadyFetching(IncidentKey key, EvidenceService.AttachOutcome.AlreadyFetching pending) {
        return ":hourglass_flowing_sand: Run "
                + EvidenceSummary.code(pending.attachment().runId()) + " is already being fetched for "
                + key
                + (pending.fetch().attempts() > 0
                        ? " (attempt " + pending.fetch().attempts()
                                + pending.fetch()
                                        .lastProblem()
                                        .map(p -> " failed: " + EvidenceSummary.safe(TextLimits.cut(p, 150)))
                                        .orElse("")
                                + ")"
                        : "")
                + "; the summary will follow in the incident's thread.";
    }

    // ---------------------------------------------------------------- /incident cause

    Reply cause(Invocation in, String args) {
        IncidentResolver.Resolved resolved = resolver.resolve(in, args, CAUSE_USAGE);
        if (resolved.failed()) {
            return resolved.error().get();
        }
        Incident incident = resolved.get();
        String rest = SlackText.decode(resolved.rest()).strip();
        if (rest.isEmpty()) {
            return Reply.error("Say where it broke and why." + suggestionLine(incident), in.command(), CAUSE_USAGE);
        }
        String[] parts = rest.split("\\s+", 2);
        Optional<FailurePoint> point = FailurePoint.parse(parts[0]);
        if (point.isEmpty()) {
            return Reply.error(
                    "`" + BlockKit.escaped(parts[0], 40) + "` is not a failure point: use one of "
                            + Arrays.stream(FailurePoint.values())
                                    .map(p -> "`" + p.name() + "`")
                                    .collect(Collectors.joining(", "))
                            + ".",
                    in.command(),
                    CAUSE_USAGE);
        }
        if (parts.length < 2 || parts[1].isBlank()) {
            return Reply.error(
                    "Say why it was " + point.get().name()
                            + ": the explanation is what the postmortem and the next responder read.",
                    in.command(),
                    CAUSE_USAGE);
        }
        EvidenceService.CauseOutcome outcome =
                evidence.setFailurePoint(incident.key(), point.get(), parts[1], in.userId());
        if (outcome instanceof EvidenceService.CauseOutcome.Refused refused) {
            return Reply.error(refused.problem(), in.command(), CAUSE_USAGE);
        }
        EvidenceService.CauseOutcome.Set set = (EvidenceService.CauseOutcome.Set) outcome;
        return Reply.ephemeral(":dart: Failure point of " + incident.key() + " set to `"
                + set.record().point().name() + "`"
                + set.previous().map(p -> " (was `" + p.point().name() + "`)").orElse("")
                + ": " + BlockKit.escaped(set.record().explanation(), 500));
    }

    private String suggestionLine(Incident incident) {
        return evidence.suggestion(incident.id())
                .map(s -> " The evidence suggests `" + s.suggestion().point().name() + "`: "
                        + EvidenceSummary.safe(TextLimits.cut(s.suggestion().reason(), 200)) + " (run "
                        + EvidenceSummary.code(s.runId()) + ").")
                .orElse("");
    }

    // ---------------------------------------------------------------- modals

    /** Opens {@code view} as {@code workspace}, the one the trigger came from. */
    private void openModal(io.firebreak.bot.access.Workspace workspace, String triggerId, View view) {
        slack.forWorkspace(workspace)
                .call("views.open", m -> m.viewsOpen(r -> r.triggerId(triggerId).view(view)));
    }

    /** The modal that attaches runs to the incident named by the button's value. */
    View attachModal(String keyText) {
        Optional<Incident> incident = IncidentKey.parse(keyText).flatMap(incidents::find);
        List<TraceSource> sources = evidence.settings().configured();
        if (incident.isEmpty() || sources.isEmpty()) {
            String problem = incident.isEmpty()
                    ? "There is no incident " + BlockKit.escaped(keyText, 40) + "."
                    : evidence.noSource(Optional.empty()).problem();
            return Forms.message(ATTACH_MODAL, "Attach runs", ":warning: " + problem);
        }
        List<OptionObject> options = sources.stream()
                .map(s -> option(plainText(s.label()), s.word()))
                .toList();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText("*" + incident.get().key() + "* · "
                + BlockKit.escaped(incident.get().title(), 200)
                + "\nEach run's trace is fetched and frozen; the summary is posted in the incident's thread."))));
        blocks.add(input(i -> i.blockId("runs")
                .label(plainText("Run IDs"))
                .hint(plainText(
                        "Trace or run IDs from your tracing backend, one per line (up to " + MODAL_RUNS_MAX + ")."))
                .element(plainTextInput(p -> p.actionId("run_ids").multiline(true)))));
        blocks.add(input(i -> i.blockId("source").label(plainText("Source")).element(staticSelect(s -> {
            s.actionId("source").options(options).placeholder(plainText("Where the runs are traced"));
            if (options.size() == 1) {
                s.initialOption(options.get(0));
            }
            return s;
        }))));
        return Forms.form(ATTACH_MODAL, incident.get().key().toString(), "Attach runs", "Attach", blocks);
    }

    /**
     * Attaches every run ID of a submitted attach modal; returns errors by block ID (the modal stays open, nothing
     * attached) when the input is wrong, else nothing. Runs refused one by one (already fetching, …) are told to
     * the user in the incident's channel.
     */
    Map<String, String> submitAttach(View view, String userId) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<IncidentKey> key =
                IncidentKey.parse(Optional.ofNullable(view.getPrivateMetadata()).orElse(""));
        String text = value(view, "runs", "run_ids").orElse("");
        List<String> runIds = Arrays.stream(text.split("[\\s,]+"))
                .filter(s -> !s.isBlank())
                .distinct()
                .toList();
        Optional<TraceSource> source = selected(view, "source", "source").flatMap(TraceSource::parse);
        if (key.isEmpty()) {
            errors.put("runs", "This form lost its incident; open it again from the incident card.");
        } else if (runIds.isEmpty()) {
            errors.put("runs", "Enter at least one run ID.");
        } else if (runIds.size() > MODAL_RUNS_MAX) {
            errors.put("runs", "At most " + MODAL_RUNS_MAX + " runs at once (" + runIds.size() + " entered).");
        } else {
            runIds.stream()
                    .map(id -> EvidenceService.runIdProblem(id))
                    .flatMap(Optional::stream)
                    .findFirst()
                    .ifPresent(p -> errors.put("runs", p.replace("`", "")));
        }
        if (source.isEmpty()) {
            errors.put("source", "Choose the backend the runs are traced in.");
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        List<String> notAttached = new ArrayList<>();
        for (String runId : runIds) {
            EvidenceService.AttachOutcome outcome = evidence.attach(
                    new EvidenceService.AttachRequest(key.get(), runId, source, userId, Optional.empty()));
            if (outcome instanceof EvidenceService.AttachOutcome.Refused refused) {
                notAttached.add(EvidenceSummary.code(runId) + ": " + refused.problem());
            } else if (outcome instanceof EvidenceService.AttachOutcome.AlreadyFetching pending) {
                notAttached.add(alreadyFetching(key.get(), pending));
            }
        }
        if (notAttached.size() == runIds.size() && runIds.size() == 1) {
            errors.put("runs", notAttached.get(0).replace("`", ""));
            return errors;
        }
        if (!notAttached.isEmpty()) {
            tell(
                    key.get(),
                    userId,
                    "Some runs were not attached to " + key.get() + ":\n• " + String.join("\n• ", notAttached));
        }
        return errors;
    }

    /** The modal that sets the failure point of the incident named by the button's value. */
    View causeModal(String keyText) {
        Optional<Incident> incident = IncidentKey.parse(keyText).flatMap(incidents::find);
        if (incident.isEmpty()) {
            return Forms.message(
                    CAUSE_MODAL,
                    "Failure point",
                    ":warning: There is no incident " + BlockKit.escaped(keyText, 40) + ".");
        }
        Optional<FailurePointRecord> current =
                evidence.failurePoint(incident.get().id());
        Optional<EvidenceService.RunSuggestion> suggestion =
                evidence.suggestion(incident.get().id());
        List<OptionObject> options = Arrays.stream(FailurePoint.values())
                .map(p -> option(
                        plainText(BlockKit.plain(p.name() + ": " + p.description(), BlockKit.OPTION_TEXT)), p.name()))
                .toList();
        Optional<FailurePoint> initial = current.map(FailurePointRecord::point)
                .or(() -> suggestion.map(s -> s.suggestion().point()));
        String context = current.map(c -> "Now: `" + c.point().name() + "` (set by " + SlackText.user(c.setBy()) + ").")
                        .orElse("Not set yet.")
                + suggestion
                        .map(s -> " The evidence suggests `"
                                + s.suggestion().point().name() + "`: "
                                + EvidenceSummary.safe(
                                        TextLimits.cut(s.suggestion().reason(), 300)) + " (run "
                                + EvidenceSummary.code(s.runId())
                                + "). You decide.")
                        .orElse("");
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText("*" + incident.get().key() + "* · "
                + BlockKit.escaped(incident.get().title(), 200) + "\n" + context))));
        blocks.add(input(i -> i.blockId("point")
                .label(plainText("Where it broke"))
                .element(staticSelect(s -> {
                    s.actionId("point").options(options).placeholder(plainText("Choose a failure point"));
                    initial.ifPresent(p -> s.initialOption(options.get(p.ordinal())));
                    return s;
                }))));
        blocks.add(input(i -> i.blockId("explanation")
                .label(plainText("Why"))
                .element(plainTextInput(
                        p -> p.actionId("explanation").multiline(true).maxLength(EvidenceService.MAX_EXPLANATION)))));
        return Forms.form(CAUSE_MODAL, incident.get().key().toString(), "Failure point", "Set", blocks);
    }

    /** Sets the failure point from a submitted cause modal; returns errors by block ID, or nothing. */
    Map<String, String> submitCause(View view, String userId) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<IncidentKey> key =
                IncidentKey.parse(Optional.ofNullable(view.getPrivateMetadata()).orElse(""));
        Optional<FailurePoint> point = selected(view, "point", "point").flatMap(FailurePoint::parse);
        String explanation =
                value(view, "explanation", "explanation").orElse("").strip();
        if (point.isEmpty()) {
            errors.put("point", "Choose where it broke.");
        }
        if (explanation.isEmpty()) {
            errors.put("explanation", "Say why: the postmortem and the next responder read it.");
        }
        if (key.isEmpty()) {
            errors.put("point", "This form lost its incident; open it again from the incident card.");
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        EvidenceService.CauseOutcome outcome = evidence.setFailurePoint(key.get(), point.get(), explanation, userId);
        if (outcome instanceof EvidenceService.CauseOutcome.Refused refused) {
            errors.put("point", refused.problem());
        }
        return errors;
    }

    private void tell(IncidentKey key, String userId, String text) {
        incidents
                .find(key)
                .ifPresent(i -> i.cardChannel()
                        .or(i::channelId)
                        .or(i::originChannel)
                        .ifPresent(channel -> slack.forIncident(i)
                                .call(
                                        "chat.postEphemeral",
                                        m -> m.chatPostEphemeral(r ->
                                                r.channel(channel).user(userId).text(BlockKit.cut(text, 3000))))));
    }

    private static Optional<String> value(View view, String block, String action) {
        return state(view, block, action).map(ViewState.Value::getValue).filter(v -> !v.isBlank());
    }

    private static Optional<String> selected(View view, String block, String action) {
        return state(view, block, action)
                .map(ViewState.Value::getSelectedOption)
                .map(ViewState.SelectedOption::getValue);
    }

    private static Optional<ViewState.Value> state(View view, String block, String action) {
        return Forms.value(view.getState(), block, action);
    }
}
