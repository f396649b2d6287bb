package io.firebreak.bot.containment.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.containment.ActionParameter;
import io.firebreak.bot.containment.ContainmentAction;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.containment.ContainmentService.Decision;
import io.firebreak.bot.containment.ContainmentService.FireRequest;
import io.firebreak.bot.containment.ContainmentService.FireResult;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.Invocation;
import io.firebreak.bot.slack.Reply;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Containment from Slack: {@code contain} and {@code undo}, the card's "Contain…" button and its modal, and the
 * Approve, Deny and Undo buttons. Handlers parse and render; {@link ContainmentService} decides. Every handler
 * acks at once: the calls run later as durable jobs, and outcomes are posted in the incident's thread.
 */
public final class ContainmentCommands implements SlackFeature {
    static final String CONTAIN_USAGE = "contain INC-<n> <action> key=value … [--dry-run] [-- reason]";
    static final String UNDO_USAGE = "undo INC-<n> <action-run> [-- reason]";
    static final String KEEP_USAGE = "keep INC-<n> <action-run> -- <reason>";
    /** {@code key=value}, {@code key="quoted value"} (straight or curly quotes), or any other word. */
    private static final Pattern TOKEN =
            Pattern.compile("([A-Za-z][A-Za-z0-9_]*)=(?:\"([^\"]*)\"|“([^”]*)”|(\\S*))|(\\S+)");

    private static final Pattern REASON_SEPARATOR = Pattern.compile("(?:^|\\s)--(?:\\s|$)");

    private final ContainmentService containment;
    private final IncidentService incidents;
    private final IncidentResolver resolver;
    private final SlackWebApi slack;
    private final ContainmentViews views;
    private final io.firebreak.bot.containment.ContainmentReview review;

    public ContainmentCommands(
            ContainmentService containment,
            io.firebreak.bot.containment.ContainmentReview review,
            IncidentService incidents,
            SlackWebApi slack,
            ContainmentViews views,
            IncidentResolver resolver) {
        this.review = review;
        this.containment = containment;
        this.incidents = incidents;
        this.resolver = resolver;
        this.slack = slack;
        this.views = views;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand(
                        "contain",
                        CONTAIN_USAGE,
                        "fire a containment action (without an action: list them)",
                        this::contain),
                new Subcommand("undo", UNDO_USAGE, "undo a containment action", this::undo),
                new Subcommand(
                        "keep",
                        KEEP_USAGE,
                        "keep a containment action in effect past closing, with a reason",
                        this::keep));
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("contain", Action.CONTAIN_FIRE)
            .subcommand("undo", Action.CONTAIN_UNDO)
            .subcommand("keep", Action.CONTAIN_KEEP)
            .blockAction(ContainmentViews.CONTAIN_BUTTON, Action.CONTAIN_FIRE)
            .blockAction(ContainmentViews.APPROVE_BUTTON, Action.CONTAIN_APPROVE)
            .blockAction(ContainmentViews.DENY_BUTTON, Action.CONTAIN_DENY)
            .blockAction(ContainmentViews.UNDO_BUTTON, Action.CONTAIN_UNDO)
            .blockAction(ContainmentViews.RETRY_BUTTON, Action.CONTAIN_FIRE)
            .view(ContainmentViews.PICK_VIEW, Action.CONTAIN_FIRE)
            .view(ContainmentViews.FIRE_VIEW, Action.CONTAIN_FIRE)
            .view(ContainmentViews.UNDO_VIEW, Action.CONTAIN_UNDO)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.blockAction(ContainmentViews.CONTAIN_BUTTON, (req, ctx) -> {
            openPicker(req.getPayload());
            return ctx.ack();
        });
        app.blockAction(ContainmentViews.APPROVE_BUTTON, (req, ctx) -> {
            decide(req.getPayload(), true);
            return ctx.ack();
        });
        app.blockAction(ContainmentViews.DENY_BUTTON, (req, ctx) -> {
            decide(req.getPayload(), false);
            return ctx.ack();
        });
        app.blockAction(ContainmentViews.UNDO_BUTTON, (req, ctx) -> {
            openUndo(req.getPayload());
            return ctx.ack();
        });
        app.blockAction(ContainmentViews.RETRY_BUTTON, (req, ctx) -> {
            retry(req.getPayload());
            return ctx.ack();
        });
        app.viewSubmission(ContainmentViews.PICK_VIEW, (req, ctx) -> onPick(req.getPayload(), ctx));
        app.viewSubmission(ContainmentViews.FIRE_VIEW, (req, ctx) -> onFire(req.getPayload(), ctx));
        app.viewSubmission(ContainmentViews.UNDO_VIEW, (req, ctx) -> onUndoReason(req.getPayload(), ctx));
    }

    /** Step 1 of the modal submitted: show the chosen action's parameters. */
    private Response onPick(ViewSubmissionPayload payload, ViewSubmissionContext ctx) {
        String action = value(payload.getView().getState(), ContainmentViews.ACTION_BLOCK);
        Optional<Incident> incident =
                IncidentKey.parse(payload.getView().getPrivateMetadata()).flatMap(incidents::find);
        Optional<ContainmentAction> chosen = containment.catalog().find(action);
        if (incident.isEmpty() || chosen.isEmpty()) {
            return ctx.ackWithErrors(Map.of(ContainmentViews.ACTION_BLOCK, "Choose one of the actions listed."));
        }
        return ctx.ackWithUpdate(views.fire(
                incident.get(),
                chosen.get(),
                containment.preApproving(
                        incident.get(), payload.getUser().getId(), chosen.get().id(), Map.of())));
    }

    /** Step 2 submitted: fire, once per modal (its view id) however often it is submitted. */
    private Response onFire(ViewSubmissionPayload payload, ViewSubmissionContext ctx) {
        ViewState state = payload.getView().getState();
        Optional<ContainmentViews.FireTarget> target =
                views.fireTarget(payload.getView().getPrivateMetadata());
        if (target.isEmpty()) {
            return ctx.ackWithErrors(
                    Map.of(ContainmentViews.REASON_BLOCK, "This form is out of date; open Contain… again."));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        containment
                .catalog()
                .find(target.get().action())
                .ifPresent(a -> a.parameters().forEach(p -> {
                    String v = value(state, ContainmentViews.PARAMETER_BLOCK + p.name());
                    if (!v.isEmpty()) {
                        parameters.put(p.name(), v);
                    }
                }));
        FireResult result = containment.fire(new FireRequest(
                target.get().incident(),
                target.get().action(),
                parameters,
                value(state, ContainmentViews.REASON_BLOCK),
                payload.getUser().getId(),
                Optional.of("view:" + payload.getView().getId())));
        if (result instanceof FireResult.Refused refused) {
            Map<String, String> errors = new LinkedHashMap<>();
            refused.parameterProblems()
                    .forEach((name, problem) -> errors.put(ContainmentViews.PARAMETER_BLOCK + name, problem));
            return ctx.ackWithErrors(
                    errors.isEmpty() ? Map.of(ContainmentViews.REASON_BLOCK, refused.message()) : errors);
        }
        if (result instanceof FireResult.AlreadyLive live) {
            return ctx.ackWithErrors(Map.of(ContainmentViews.REASON_BLOCK, alreadyLive(live.run(), live.action())));
        }
        if (result instanceof FireResult.Linked linked) {
            return ctx.ackWithUpdate(
                    views.done(target.get().incident(), linkedText(target.get().incident(), linked)));
        }
        return ctx.ackWithUpdate(views.done(target.get().incident(), firedText(result)));
    }

    /** The Undo modal submitted with its reason. */
    private Response onUndoReason(ViewSubmissionPayload payload, ViewSubmissionContext ctx) {
        Optional<ContainmentRun> run = containment.find(payload.getView().getPrivateMetadata());
        if (run.isEmpty()) {
            return ctx.ackWithErrors(Map.of(ContainmentViews.REASON_BLOCK, "This action run no longer exists."));
        }
        Decision decision = containment.undo(new ContainmentService.UndoRequest(
                run.get().incident(),
                run.get().id(),
                payload.getUser().getId(),
                value(payload.getView().getState(), ContainmentViews.REASON_BLOCK)));
        if (decision instanceof Decision.Refused refused) {
            return ctx.ackWithErrors(Map.of(ContainmentViews.REASON_BLOCK, refused.message()));
        }
        return ctx.ackWithUpdate(views.done(run.get().incident(), undoing(run.get())));
    }

    Reply contain(Invocation in, String args) {
        IncidentResolver.Resolved resolved = resolver.resolve(in, args, CONTAIN_USAGE);
        if (resolved.failed()) {
            return resolved.error().get();
        }
        Incident incident = resolved.get();
        Split split = Split.of(resolved.rest());
        String reason = split.reason();
        Matcher tokens = TOKEN.matcher(split.head());
        Optional<String> action = Optional.empty();
        Map<String, String> parameters = new LinkedHashMap<>();
        boolean dryRun = false;
        while (tokens.find()) {
            String word = tokens.group(5);
            if (word == null) {
                String value = tokens.group(2) != null
                        ? tokens.group(2)
                        : tokens.group(3) != null ? tokens.group(3) : tokens.group(4);
                parameters.put(tokens.group(1), SlackText.decode(value).strip());
            } else if (word.equals("--dry-run")) {
                dryRun = true;
            } else if (action.isEmpty() && parameters.isEmpty()) {
                action = Optional.of(word);
            } else {
                return Reply.error(
                        "`" + SlackText.escape(word)
                                + "` is not a parameter: give parameters as key=value, and put the reason after --.",
                        in.command(),
                        CONTAIN_USAGE);
            }
        }
        if (action.isEmpty()) {
            return Reply.ephemeral(
                    catalogHelp(incident, in.command(), containment.preApproving(incident, in.userId(), "", Map.of())));
        }
        FireRequest request =
                new FireRequest(incident.key(), action.get(), parameters, reason, in.userId(), Optional.empty());
        if (dryRun) {
            return dryRun(request, in.command());
        }
        FireResult result = containment.fire(request);
        if (result instanceof FireResult.Refused refused) {
            return Reply.error(refused.message(), in.command(), CONTAIN_USAGE);
        }
        if (result instanceof FireResult.AlreadyLive live) {
            return Reply.ephemeral(":information_source: " + alreadyLive(live.run(), live.action()));
        }
        if (result instanceof FireResult.Linked linked) {
            return Reply.ephemeral(linkedText(incident.key(), linked));
        }
        return Reply.ephemeral(firedText(result));
    }

    Reply keep(Invocation in, String args) {
        IncidentResolver.Resolved resolved = resolver.resolve(in, args, KEEP_USAGE);
        if (resolved.failed()) {
            return resolved.error().get();
        }
        Split split = Split.of(resolved.rest());
        String head = split.head().strip();
        if (head.isEmpty() || head.contains(" ")) {
            return Reply.error("Give one action run, then the reason after --.", in.command(), KEEP_USAGE);
        }
        io.firebreak.bot.incident.Outcome outcome =
                review.keep(resolved.get().key(), head, split.reason(), in.userId());
        return outcome.changed()
                ? Reply.ephemeral(":white_check_mark: " + outcome.detail())
                : Reply.error(outcome.detail(), in.command(), KEEP_USAGE);
    }

    Reply undo(Invocation in, String args) {
        IncidentResolver.Resolved resolved = resolver.resolve(in, args, UNDO_USAGE);
        if (resolved.failed()) {
            return resolved.error().get();
        }
        Split split = Split.of(resolved.rest());
        String head = split.head().strip();
        String reason = split.reason();
        if (head.isEmpty() || head.contains(" ")) {
            return Reply.error(
                    head.isEmpty()
                            ? "Say which action run to undo: its id (like ca-k3v9x2m4qp) is on the card and in the thread."
                            : "Give one action run, then the reason after --.",
                    in.command(),
                    UNDO_USAGE);
        }
        Decision decision = containment.undo(
                new ContainmentService.UndoRequest(resolved.get().key(), head, in.userId(), reason));
        if (decision instanceof Decision.Refused refused) {
            return Reply.error(refused.message(), in.command(), UNDO_USAGE);
        }
        return Reply.ephemeral(undoing(((Decision.Done) decision).run()));
    }

    /** The words before a standalone {@code --}, and the reason after it (decoded from Slack's escaping). */
    private record Split(String head, String reason) {
        static Split of(String text) {
            Matcher separator = REASON_SEPARATOR.matcher(text);
            return separator.find()
                    ? new Split(
                            text.substring(0, separator.start()),
                            SlackText.decode(text.substring(separator.end())).strip())
                    : new Split(text, "");
        }
    }

    private Reply dryRun(FireRequest request, String command) {
        Optional<FireResult.Refused> refused = containment.refusal(request);
        if (refused.isPresent()) {
            return Reply.error(refused.get().message() + " (dry run: nothing was sent)", command, CONTAIN_USAGE);
        }
        ContainmentService.Preview preview = containment.preview(request).orElseThrow();
        StringBuilder out = new StringBuilder(
                ":test_tube: *Dry run* of *" + SlackText.escape(preview.action().title()) + "* on "
                        + preview.incident().key() + ": nothing was sent and nothing was recorded.\n");
        out.append(
                preview.needsApproval()
                        ? "It is " + preview.action().approvalRule() + " and "
                                + preview.incident().key() + " is " + SlackText.severityPlain(preview.incident())
                                + ", so an approver would have to agree first.\n"
                        : "It is " + preview.action().approvalRule() + ", so it would run at once.\n");
        preview.capture()
                .ifPresent(c ->
                        out.append("First it reads what the undo will need:\n").append(block(c)));
        out.append("Then it sends:\n").append(block(preview.request()));
        out.append("Undo would send:\n").append(block(preview.undo()));
        return Reply.ephemeral(BlockKit.cut(out.toString().stripTrailing(), 3900));
    }

    /** A request as a code block, with every secret redacted. */
    private static String block(OutboundRequest request) {
        StringBuilder text = new StringBuilder(request.method())
                .append(' ')
                .append(Redactor.redact(request.uri().toString(), request.secrets()))
                .append('\n');
        Redactor.headers(request.headers(), request.secrets())
                .forEach((name, value) ->
                        text.append(name).append(": ").append(value).append('\n'));
        request.body()
                .ifPresent(b -> text.append('\n')
                        .append(Redactor.redact(b, request.secrets()))
                        .append('\n'));
        return "```" + SlackText.escape(text.toString().stripTrailing()) + "```\n";
    }

    private String catalogHelp(
            Incident incident, String command, Optional<io.firebreak.storage.incident.Severity> granting) {
        if (containment.catalog().actions().isEmpty()) {
            return ":information_source: No containment actions are configured: add them to the action catalog (FIREBREAK_ACTIONS).";
        }
        StringBuilder out = new StringBuilder("*Containment actions* for " + incident.key() + " (severity "
                + SlackText.severityPlain(incident)
                + (granting.isEmpty() && incident.severity().isPresent()
                        ? ", not confirmed by a responder: every action needs an approver until a responder sets or confirms it"
                        : "")
                + "):\n");
        for (ContainmentAction a : containment.catalog().actions()) {
            out.append("• `")
                    .append(a.id())
                    .append(a.parameters().stream()
                            .map(p -> " " + p.name() + "=…" + (p.required() ? "" : " (optional)"))
                            .reduce("", String::concat))
                    .append("` ")
                    .append(SlackText.escape(a.title()))
                    .append(": ")
                    .append(SlackText.escape(a.description()))
                    .append(" _")
                    .append(a.preapprovedAt(granting) ? "runs at once" : "needs an approver")
                    .append(", ")
                    .append(a.approvalRule())
                    .append("_")
                    .append(
                            a.target().configured()
                                    ? ""
                                    : " :warning: "
                                            + SlackText.escape(a.target().notConfigured()))
                    .append('\n');
        }
        out.append("Example: `")
                .append(command)
                .append(" contain ")
                .append(incident.key())
                .append(' ')
                .append(example(containment.catalog().actions().get(0)))
                .append(" -- stop the blast radius`");
        return BlockKit.cut(out.toString(), 3900);
    }

    private static String example(ContainmentAction action) {
        return action.id()
                + action.parameters().stream()
                        .filter(ActionParameter::required)
                        .map(p -> " " + p.name() + "=" + p.example().orElse("…"))
                        .reduce("", String::concat);
    }

    private static String firedText(FireResult result) {
        if (result instanceof FireResult.Fired f) {
            return ":rotating_light: Firing *" + SlackText.escape(f.action().title()) + "* " + params(f.run()) + " on "
                    + f.run().incident() + " now (run `" + f.run().id()
                    + "`). The outcome will be posted in the incident's thread.";
        }
        if (result instanceof FireResult.AwaitingApproval a) {
            return ":raised_hand: *" + SlackText.escape(a.action().title()) + "* is "
                    + a.action().approvalRule()
                    + ", so an approver must agree. The request is posted in the incident's thread (run `"
                    + a.run().id()
                    + "`) and expires "
                    + SlackText.date(a.run().approval().expiresAt().orElseThrow()) + ".";
        }
        FireResult.AlreadyRequested r = (FireResult.AlreadyRequested) result;
        return ":information_source: This request was already received: *"
                + SlackText.escape(r.action().title()) + "* is "
                + r.run().state().label() + " (run `" + r.run().id() + "`).";
    }

    /** Nothing was fired: the target is already contained by another incident's run, which this one now relies on. */
    private static String linkedText(IncidentKey incident, FireResult.Linked linked) {
        ContainmentRun run = linked.run();
        return ":link: *" + SlackText.escape(linked.action().title()) + "* " + params(run) + " is already "
                + (run.state() == RunState.SUCCEEDED ? "in effect" : run.state().label()) + " for " + run.incident()
                + " (run `"
                + run.id() + "`, fired by " + SlackText.user(run.requestedBy()) + "). Nothing was sent: " + incident
                + (linked.newly() ? " now relies on it too" : " already relies on it")
                + ", and it cannot be undone while " + incident + " is open.";
    }

    private static String alreadyLive(ContainmentRun run, ContainmentAction action) {
        return action.title() + " " + params(run) + " is already "
                + (run.state() == RunState.SUCCEEDED ? "in effect" : run.state().label()) + " on " + run.incident()
                + " (run " + run.id() + ", fired by " + SlackText.user(run.requestedBy())
                + "). Undo it first to fire it again.";
    }

    private String undoing(ContainmentRun run) {
        return ":leftwards_arrow_with_hook: Undoing *" + SlackText.escape(containment.title(run)) + "* on "
                + run.incident() + " (run `" + run.id() + "`). The outcome will be posted in the incident's thread.";
    }

    /** The run's parameters as code, e.g. {@code `workflow=refunds`}; empty when it has none. */
    static String params(ContainmentRun run) {
        String described = String.join(
                " ",
                run.parameters().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
        return described.isEmpty() ? "" : "`" + SlackText.escape(described) + "`";
    }

    private void openPicker(BlockActionPayload payload) {
        String user = payload.getUser().getId();
        Optional<Incident> incident =
                IncidentKey.parse(payload.getActions().get(0).getValue()).flatMap(incidents::find);
        if (incident.isEmpty() || !incident.get().phase().isOpen()) {
            ephemeral(
                    payload,
                    user,
                    ":warning: "
                            + incident.map(i -> i.key() + " is closed.").orElse("That incident no longer exists."));
            return;
        }
        if (containment.catalog().actions().isEmpty()) {
            ephemeral(
                    payload,
                    user,
                    ":information_source: No containment actions are configured: add them to the action catalog (FIREBREAK_ACTIONS).");
            return;
        }
        slack(payload)
                .call(
                        "views.open",
                        m -> m.viewsOpen(r -> r.triggerId(payload.getTriggerId())
                                .view(views.pick(
                                        incident.get(),
                                        containment.catalog(),
                                        containment.preApproving(
                                                incident.get(),
                                                payload.getUser().getId(),
                                                "",
                                                Map.of())))));
    }

    private void openUndo(BlockActionPayload payload) {
        String user = payload.getUser().getId();
        Optional<ContainmentRun> run =
                containment.find(payload.getActions().get(0).getValue());
        if (run.isEmpty() || !run.get().undoable()) {
            ephemeral(
                    payload,
                    user,
                    ":information_source: "
                            + run.map(r -> SlackText.escape(containment.title(r)) + " (`" + r.id()
                                            + "`) cannot be undone: " + ContainmentService.stateSentence(r) + ".")
                                    .orElse("That action run no longer exists."));
            return;
        }
        slack(payload)
                .call(
                        "views.open",
                        m -> m.viewsOpen(r -> r.triggerId(payload.getTriggerId())
                                .view(views.undo(run.get(), containment.title(run.get())))));
    }

    /** Retry on a run whose outcome is unknown: the same call again; the thread tells how it ends. */
    private void retry(BlockActionPayload payload) {
        String user = payload.getUser().getId();
        Decision decision = containment.retry(payload.getActions().get(0).getValue(), user);
        ephemeral(
                payload,
                user,
                decision instanceof Decision.Refused refused
                        ? ":no_entry_sign: " + refused.message()
                        : ":arrows_counterclockwise: Sending *"
                                + SlackText.escape(containment.title(((Decision.Done) decision).run()))
                                + "* again with the same Idempotency-Key; the outcome will be posted in the thread.");
    }

    private void decide(BlockActionPayload payload, boolean approve) {
        String user = payload.getUser().getId();
        String runId = payload.getActions().get(0).getValue();
        Decision decision = approve ? containment.approve(runId, user) : containment.deny(runId, user);
        if (decision instanceof Decision.Refused refused) {
            ephemeral(payload, user, ":no_entry_sign: " + refused.message());
        }
    }

    /** Slack as the workspace the click came from: its modals and answers carry that workspace's token. */
    private SlackWebApi slack(BlockActionPayload payload) {
        return slack.forWorkspace(io.firebreak.bot.slack.SlackWorkspace.of(
                payload.getTeam() == null ? null : payload.getTeam().getId(),
                payload.getEnterprise() == null ? null : payload.getEnterprise().getId()));
    }

    /** Tells only {@code user}, in the channel of the clicked message. */
    private void ephemeral(BlockActionPayload payload, String user, String text) {
        String channel = payload.getChannel() != null
                ? payload.getChannel().getId()
                : payload.getContainer() != null ? payload.getContainer().getChannelId() : null;
        if (channel != null) {
            slack(payload)
                    .call(
                            "chat.postEphemeral",
                            m -> m.chatPostEphemeral(
                                    r -> r.channel(channel).user(user).text(text)));
        }
    }

    /** The text typed into an input block's single element, or the option chosen; empty when none. */
    private static String value(ViewState state, String blockId) {
        if (state == null || state.getValues() == null || state.getValues().get(blockId) == null) {
            return "";
        }
        ViewState.Value value = state.getValues().get(blockId).get(ContainmentViews.VALUE);
        if (value == null) {
            return "";
        }
        if (value.getSelectedOption() != null) {
            return value.getSelectedOption().getValue();
        }
        return value.getValue() == null ? "" : value.getValue().strip();
    }
}
