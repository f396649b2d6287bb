package io.firebreak.bot.postmortem.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.radioButtons;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.block.element.BlockElements.usersSelect;
import static com.slack.api.model.view.Views.view;

import com.slack.api.bolt.App;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.incident.CloseGate;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.bot.postmortem.CorrectionService;
import io.firebreak.bot.postmortem.FollowUpService;
import io.firebreak.bot.postmortem.PostmortemPosting;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.Forms;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.Invocation;
import io.firebreak.bot.slack.Modals;
import io.firebreak.bot.slack.Reply;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.postmortem.Correction;
import io.firebreak.storage.postmortem.FollowUp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Correct, follow up, close and write the postmortem: {@code correct}, {@code followup}, {@code close},
 * {@code reopen}, {@code postmortem}, the card's buttons and their forms, and the close checklist on the card.
 */
public final class PostmortemCommands implements SlackFeature, CardSection {
    public static final String CORRECT_BUTTON = "incident_correct";
    public static final String FOLLOWUP_BUTTON = "incident_followup";
    static final String CORRECTION_MODAL = "incident_correction";
    static final String FOLLOWUP_MODAL = "incident_followup";
    static final String KINDS = "regression|owner|verification|validation|other";

    private final IncidentService incidents;
    private final CorrectionService corrections;
    private final FollowUpService followUps;
    private final PostmortemPosting posting;
    private final IncidentResolver resolver;
    private final Modals modals;
    private final ThreadNotices notices;

    public PostmortemCommands(
            IncidentService incidents,
            CorrectionService corrections,
            FollowUpService followUps,
            PostmortemPosting posting,
            Modals modals,
            ThreadNotices notices,
            IncidentResolver resolver) {
        this.incidents = incidents;
        this.corrections = corrections;
        this.followUps = followUps;
        this.posting = posting;
        this.resolver = resolver;
        this.modals = modals;
        this.notices = notices;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand(
                        "correct",
                        "correct [INC-<n>]",
                        "record the correction, its evaluation and rollout",
                        this::correct),
                new Subcommand(
                        "followup",
                        "followup [INC-<n>] <" + KINDS + "> <text>",
                        "add a follow-up (regression: the expected behaviour, built from the latest run; run=<id> tags=a,b)",
                        this::followup),
                new Subcommand(
                        "close",
                        "close [INC-<n>]",
                        "close a resolved incident that has its follow-ups, and post the postmortem",
                        this::close),
                new Subcommand("reopen", "reopen [INC-<n>] <reason>", "reopen a closed incident", this::reopen),
                new Subcommand(
                        "postmortem",
                        "postmortem [INC-<n>]",
                        "post the postmortem to the incident channel",
                        this::postmortem));
    }

    Reply correct(Invocation in, String args) {
        IncidentResolver.Resolved r = resolver.resolve(in, args, "correct [INC-<n>]");
        if (r.failed()) {
            return r.error().get();
        }
        in.triggerId()
                .ifPresent(t -> modals.in(in.workspace())
                        .open(t, correctionModal(r.get().key()), in.responseUrl()));
        return Reply.ephemeral("");
    }

    Reply followup(Invocation in, String args) {
        String usage = "followup [INC-<n>] <" + KINDS + "> <text>";
        IncidentResolver.Resolved r = resolver.resolve(in, args, usage);
        if (r.failed()) {
            return r.error().get();
        }
        String[] words = r.rest().split("\\s+", 2);
        Optional<FollowUp.Kind> kind = kind(words[0]);
        if (kind.isEmpty()) {
            return Reply.error(
                    (words[0].isEmpty()
                                    ? "Say which kind of follow-up."
                                    : "`" + SlackText.escape(words[0]) + "` is not a kind of follow-up.")
                            + " Kinds: " + KINDS.replace("|", ", ") + ".",
                    in.command(),
                    usage);
        }
        String text = words.length > 1 ? SlackText.decode(words[1]) : "";
        Optional<String> run = Optional.empty();
        List<String> tags = List.of();
        Optional<String> owner = Optional.empty();
        List<String> kept = new ArrayList<>();
        for (String word : text.split("\\s+")) {
            if (word.startsWith("run=")) {
                run = Optional.of(word.substring(4));
            } else if (word.startsWith("tags=")) {
                tags = Arrays.stream(word.substring(5).split(","))
                        .map(String::strip)
                        .filter(t -> !t.isEmpty())
                        .toList();
            } else if (owner.isEmpty()
                    && SlackText.userId(word).isPresent()
                    && (kind.get() == FollowUp.Kind.OWNER || word.startsWith("@"))) {
                owner = SlackText.userId(word);
            } else {
                kept.add(word);
            }
        }
        if (kind.get() == FollowUp.Kind.OWNER) {
            owner = owner.or(() -> words.length > 1 ? SlackText.userId(words[1].split("\\s+")[0]) : Optional.empty());
        }
        Outcome outcome = followUps.add(
                r.get().key(),
                new FollowUpService.Request(kind.get(), String.join(" ", kept).strip(), owner, run, tags),
                in.userId());
        return answer(outcome, in.userId());
    }

    Reply close(Invocation in, String args) {
        IncidentResolver.Resolved r = resolver.resolve(in, args, "close [INC-<n>]");
        if (r.failed()) {
            return r.error().get();
        }
        return answer(incidents.moveTo(r.get().key(), Phase.CLOSED, in.userId(), Optional.empty()), in.userId());
    }

    Reply reopen(Invocation in, String args) {
        IncidentResolver.Resolved r = resolver.resolve(in, args, "reopen [INC-<n>] <reason>");
        if (r.failed()) {
            return r.error().get();
        }
        if (r.rest().isBlank()) {
            return Reply.error("Reopening needs a reason.", in.command(), "reopen [INC-<n>] <reason>");
        }
        return answer(
                incidents.moveTo(
                        r.get().key(), Phase.INVESTIGATING, in.userId(), Optional.of(SlackText.decode(r.rest()))),
                in.userId());
    }

    Reply postmortem(Invocation in, String args) {
        IncidentResolver.Resolved r = resolver.resolve(in, args, "postmortem [INC-<n>]");
        if (r.failed()) {
            return r.error().get();
        }
        posting.request(r.get().key());
        return Reply.ephemeral(":memo: Writing the postmortem of " + r.get().key()
                + " from the stored record; it will be posted to the incident channel.");
    }

    private Reply answer(Outcome outcome, String actor) {
        if (outcome.changed()) {
            notices.post(outcome.incident().get().key(), "<@" + actor + "> " + outcome.detail());
        }
        String icon = switch (outcome.status()) {
            case CHANGED -> ":white_check_mark: ";
            case UNCHANGED -> ":information_source: ";
            default -> ":no_entry: ";
        };
        return Reply.ephemeral(icon + outcome.detail());
    }

    /** From resolved on, the card shows what closing still needs; it shows the latest correction once there is one. */
    @Override
    public List<LayoutBlock> blocks(Incident incident) {
        List<LayoutBlock> blocks = new ArrayList<>();
        List<Correction> recorded = corrections.corrections(incident.key());
        if (!recorded.isEmpty()) {
            Correction c = recorded.get(recorded.size() - 1);
            blocks.add(section(s -> s.text(markdownText("*Correction* "
                    + c.whatChanged().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " → `" + BlockKit.escaped(c.newVersion(), 100) + "` · evaluation "
                    + c.evalName().map(n -> BlockKit.escaped(n, 100) + " ").orElse("")
                    + c.evalResult().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " · rollout "
                    + c.rollout().name().toLowerCase(Locale.ROOT).replace('_', ' ')))));
        }
        if (incident.phase() == Phase.RESOLVED) {
            incidents
                    .closeChecklist(incident.key())
                    .ifPresent(items -> blocks.add(section(s -> s.text(markdownText(
                            BlockKit.cut("*Before closing*\n" + CloseGate.render(items), BlockKit.SECTION_TEXT))))));
        }
        return blocks;
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("correct", Action.CORRECTION)
            .subcommand("followup", Action.FOLLOW_UP)
            .subcommand("close", Action.CLOSE)
            .subcommand("reopen", Action.REOPEN)
            .subcommand("postmortem", Action.POSTMORTEM_POST)
            .blockAction(CORRECT_BUTTON, Action.CORRECTION)
            .blockAction(FOLLOWUP_BUTTON, Action.FOLLOW_UP)
            .view(CORRECTION_MODAL, Action.CORRECTION)
            .view(FOLLOWUP_MODAL, Action.FOLLOW_UP)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.blockAction(CORRECT_BUTTON, (req, ctx) -> {
            var p = req.getPayload();
            IncidentKey.parse(Optional.ofNullable(p.getActions().get(0).getValue())
                            .orElse(""))
                    .ifPresent(key -> modals.in(io.firebreak.bot.slack.SlackWorkspace.of(req))
                            .open(p.getTriggerId(), correctionModal(key), Optional.ofNullable(p.getResponseUrl())));
            return ctx.ack();
        });
        app.blockAction(FOLLOWUP_BUTTON, (req, ctx) -> {
            var p = req.getPayload();
            IncidentKey.parse(Optional.ofNullable(p.getActions().get(0).getValue())
                            .orElse(""))
                    .ifPresent(key -> modals.in(io.firebreak.bot.slack.SlackWorkspace.of(req))
                            .open(p.getTriggerId(), followUpModal(key), Optional.ofNullable(p.getResponseUrl())));
            return ctx.ack();
        });
        app.viewSubmission(CORRECTION_MODAL, (req, ctx) -> {
            var view = req.getPayload().getView();
            Map<String, String> errors = new LinkedHashMap<>();
            var values = view.getState();
            Optional<Correction.WhatChanged> what =
                    Forms.selected(values, "what").flatMap(v -> parse(Correction.WhatChanged.class, v));
            Optional<String> version = Forms.text(values, "version");
            Optional<Correction.EvalResult> result =
                    Forms.selected(values, "result").flatMap(v -> parse(Correction.EvalResult.class, v));
            Optional<Correction.Rollout> rollout =
                    Forms.selected(values, "rollout").flatMap(v -> parse(Correction.Rollout.class, v));
            Optional<String> link = Forms.text(values, "eval_link");
            what.ifPresentOrElse(x -> {}, () -> errors.put("what", "Say what changed."));
            version.ifPresentOrElse(
                    x -> {}, () -> errors.put("version", "Give the new version, e.g. refund-agent-prompt v43."));
            result.ifPresentOrElse(x -> {}, () -> errors.put("result", "Say what the evaluation found."));
            rollout.ifPresentOrElse(x -> {}, () -> errors.put("rollout", "Say how far it is rolled out."));
            if (link.isPresent() && !link.get().matches("https?://\\S+")) {
                errors.put("eval_link", "A link starts with https://");
            }
            Optional<IncidentKey> key = IncidentKey.parse(
                    Optional.ofNullable(view.getPrivateMetadata()).orElse(""));
            if (key.isEmpty()) {
                errors.put("what", "That incident no longer exists.");
            }
            if (!errors.isEmpty()) {
                return ctx.ackWithErrors(errors);
            }
            String user = req.getPayload().getUser().getId();
            Outcome outcome = corrections.record(
                    key.get(),
                    new CorrectionService.Request(
                            what.get(),
                            Forms.text(values, "description"),
                            version.get(),
                            Forms.text(values, "eval_name"),
                            link,
                            result.get(),
                            rollout.get()),
                    user);
            if (!outcome.changed()) {
                return ctx.ackWithErrors(Map.of("what", TextLimits.cut(outcome.detail(), 150)));
            }
            notices.post(key.get(), "<@" + user + "> " + outcome.detail());
            return ctx.ack();
        });
        app.viewSubmission(FOLLOWUP_MODAL, (req, ctx) -> {
            var view = req.getPayload().getView();
            var values = view.getState();
            Optional<FollowUp.Kind> kind = Forms.selected(values, "kind").flatMap(v -> parse(FollowUp.Kind.class, v));
            Optional<IncidentKey> key = IncidentKey.parse(
                    Optional.ofNullable(view.getPrivateMetadata()).orElse(""));
            if (kind.isEmpty() || key.isEmpty()) {
                return ctx.ackWithErrors(Map.of("kind", "Choose a kind of follow-up."));
            }
            Optional<String> owner = Forms.value(values, "owner", "owner")
                    .map(ViewState.Value::getSelectedUser)
                    .filter(u -> !u.isBlank());
            List<String> tags = Forms.text(values, "tags")
                    .map(t -> Arrays.stream(t.split(","))
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .toList())
                    .orElse(List.of());
            String user = req.getPayload().getUser().getId();
            Outcome outcome = followUps.add(
                    key.get(),
                    new FollowUpService.Request(
                            kind.get(), Forms.text(values, "text").orElse(""), owner, Forms.text(values, "run"), tags),
                    user);
            if (!outcome.changed()) {
                return ctx.ackWithErrors(Map.of("text", TextLimits.cut(outcome.detail(), 150)));
            }
            notices.post(key.get(), "<@" + user + "> " + outcome.detail());
            return ctx.ack();
        });
    }

    static Optional<FollowUp.Kind> kind(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "regression", "regression_case", "regression-case" -> Optional.of(FollowUp.Kind.REGRESSION_CASE);
            case "owner" -> Optional.of(FollowUp.Kind.OWNER);
            case "verification", "verification_check", "verification-check", "check" ->
                Optional.of(FollowUp.Kind.VERIFICATION_CHECK);
            case "validation" -> Optional.of(FollowUp.Kind.VALIDATION);
            case "other" -> Optional.of(FollowUp.Kind.OTHER);
            default -> Optional.empty();
        };
    }

    private static View correctionModal(IncidentKey key) {
        List<OptionObject> whats = Arrays.stream(Correction.WhatChanged.values())
                .map(w -> option(
                        plainText(w.name().charAt(0)
                                + w.name().substring(1).toLowerCase(Locale.ROOT).replace('_', ' ')),
                        w.name()))
                .toList();
        return Forms.form(
                CORRECTION_MODAL,
                key.toString(),
                "Correct " + key,
                "Record",
                List.of(
                        input(i -> i.blockId("what")
                                .label(plainText("What changed?"))
                                .element(staticSelect(x -> x.actionId("what").options(whats)))),
                        input(i -> i.blockId("version")
                                .label(plainText("New version"))
                                .element(plainTextInput(
                                        x -> x.actionId("version").maxLength(200)))),
                        input(i -> i.blockId("description")
                                .optional(true)
                                .label(plainText("What was done"))
                                .element(plainTextInput(x -> x.actionId("description")
                                        .multiline(true)
                                        .maxLength(2000)))),
                        input(i -> i.blockId("eval_name")
                                .optional(true)
                                .label(plainText("Evaluation that verified it"))
                                .element(plainTextInput(
                                        x -> x.actionId("eval_name").maxLength(200)))),
                        input(i -> i.blockId("eval_link")
                                .optional(true)
                                .label(plainText("Link to its results"))
                                .element(plainTextInput(
                                        x -> x.actionId("eval_link").maxLength(1000)))),
                        input(i -> i.blockId("result")
                                .label(plainText("Evaluation result"))
                                .element(radioButtons(x -> x.actionId("result")
                                        .options(List.of(
                                                option(plainText("Passed"), "PASSED"),
                                                option(plainText("Failed"), "FAILED"),
                                                option(plainText("Not run yet"), "NOT_RUN")))))),
                        input(i -> i.blockId("rollout")
                                .label(plainText("Rollout"))
                                .element(radioButtons(x -> x.actionId("rollout")
                                        .options(List.of(
                                                option(plainText("Planned"), "PLANNED"),
                                                        option(plainText("In progress"), "IN_PROGRESS"),
                                                option(plainText("Complete"), "COMPLETE"),
                                                        option(plainText("Rolled back"), "ROLLED_BACK"))))))));
    }

    private static View followUpModal(IncidentKey key) {
        return Forms.form(
                FOLLOWUP_MODAL,
                key.toString(),
                "Follow-up for " + key,
                "Add",
                List.of(
                        input(i -> i.blockId("kind")
                                .label(plainText("Kind"))
                                .element(staticSelect(x -> x.actionId("kind")
                                        .options(List.of(
                                                option(
                                                        plainText("Regression case (from a failing run)"),
                                                        "REGRESSION_CASE"),
                                                option(plainText("Owner of the fix"), "OWNER"),
                                                option(plainText("Verification check"), "VERIFICATION_CHECK"),
                                                option(plainText("Validation"), "VALIDATION"),
                                                option(plainText("Other"), "OTHER")))))),
                        input(i -> i.blockId("text")
                                .optional(true)
                                .label(plainText("Expected behaviour, or what is to be done"))
                                .element(plainTextInput(
                                        x -> x.actionId("text").multiline(true).maxLength(3000)))),
                        input(i -> i.blockId("owner")
                                .optional(true)
                                .label(plainText("Owner"))
                                .element(usersSelect(x -> x.actionId("owner")))),
                        input(i -> i.blockId("run")
                                .optional(true)
                                .label(plainText("Run ID (regression cases; default: the latest run)"))
                                .element(plainTextInput(x -> x.actionId("run").maxLength(200)))),
                        input(i -> i.blockId("tags")
                                .optional(true)
                                .label(plainText("Tags, comma-separated"))
                                .element(plainTextInput(x -> x.actionId("tags").maxLength(500))))));
    }

    private static <E extends Enum<E>> Optional<E> parse(Class<E> type, String value) {
        try {
            return Optional.of(Enum.valueOf(type, value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
