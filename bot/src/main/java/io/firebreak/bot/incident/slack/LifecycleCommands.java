package io.firebreak.bot.incident.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.view.Views.view;

import com.slack.api.bolt.App;
import com.slack.api.model.view.View;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Lifecycle;
import io.firebreak.bot.incident.OnChange;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.slack.AccessMap;
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
import io.firebreak.storage.incident.Severity;
import java.util.List;
import java.util.Optional;

/**
 * Running an incident: assess, severity override, phase, commander and notes, from commands, the card's
 * buttons, the assessment form and the "Report agent incident" shortcut.
 */
public final class LifecycleCommands implements SlackFeature {
    /** Action IDs of the card's buttons; stored in posted messages, so never rename one. */
    public static final String ASSESS_BUTTON = "incident_assess";

    public static final String NOTE_BUTTON = "incident_note";
    public static final String RESOLVE_BUTTON = "incident_resolve";
    public static final String PHASE_MENU = "incident_phase";
    public static final String REPORT_SHORTCUT = "report_agent_incident";
    /** Callback ID of the Add note modal. */
    public static final String NOTE_MODAL = "incident_note";

    private final IncidentService incidents;
    private final IncidentResolver resolver;
    private final ThreadNotices notices;
    private final Modals modals;

    public LifecycleCommands(
            IncidentService incidents, ThreadNotices notices, Modals modals, IncidentResolver resolver) {
        this.incidents = incidents;
        this.resolver = resolver;
        this.notices = notices;
        this.modals = modals;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand("assess", "assess [INC-<n>]", "assess the impact to set the severity", this::assess),
                new Subcommand(
                        "sev",
                        "sev [INC-<n>] <" + IncidentCommands.SEVERITIES + "> <reason>",
                        "override the severity, with a reason",
                        this::severity),
                new Subcommand(
                        "status",
                        "status [INC-<n>] <phase> [reason]",
                        "move to contained, investigating, correcting, resolved or closed",
                        this::status),
                new Subcommand("lead", "lead [INC-<n>] @user", "make someone the commander", this::lead),
                new Subcommand("note", "note [INC-<n>] <text>", "add a note to the timeline", this::note));
    }

    Reply assess(Invocation in, String args) {
        IncidentResolver.Resolved r = resolver.resolve(in, args, "assess [INC-<n>]");
        if (r.failed()) {
            return r.error().get();
        }
        Incident incident = r.get();
        in.triggerId()
                .ifPresent(trigger -> openModal(
                        in.workspace(),
                        trigger,
                        AssessmentModal.forIncident(incident.key(), incident.title()),
                        in.responseUrl()));
        return Reply.ephemeral("");
    }

    Reply severity(Invocation in, String args) {
        String usage = "sev [INC-<n>] <" + IncidentCommands.SEVERITIES + "> <reason>";
        IncidentResolver.Resolved r = resolver.resolve(in, args, usage);
        if (r.failed()) {
            return r.error().get();
        }
        String[] words = r.rest().split("\\s+", 2);
        Optional<Severity> severity = words[0].isEmpty() ? Optional.empty() : Severity.parse(words[0]);
        if (severity.isEmpty()) {
            return Reply.error(
                    words[0].isEmpty()
                            ? "Say which severity."
                            : "`" + SlackText.escape(words[0])
                                    + "` is not a severity: use low, medium, high or critical.",
                    in.command(),
                    usage);
        }
        if (words.length < 2 || words[1].isBlank()) {
            return Reply.error(
                    "Overriding the severity needs a reason, so the timeline says why.", in.command(), usage);
        }
        return answer(
                incidents.overrideSeverity(
                        r.get().key(),
                        severity.get(),
                        SlackText.decode(words[1]).strip(),
                        in.userId(),
                        told(in.userId(), "changed the severity: ")),
                in.userId(),
                "changed the severity: ");
    }

    Reply status(Invocation in, String args) {
        String usage = "status [INC-<n>] <phase> [reason]";
        IncidentResolver.Resolved r = resolver.resolve(in, args, usage);
        if (r.failed()) {
            return r.error().get();
        }
        String[] words = r.rest().split("\\s+", 2);
        Optional<Phase> phase = words[0].isEmpty() ? Optional.empty() : Phase.parse(words[0]);
        if (phase.isEmpty()) {
            String legal = String.join(
                    ", ",
                    Lifecycle.next(r.get().phase()).stream().map(Phase::label).toList());
            return Reply.error(
                    (words[0].isEmpty() ? "Say which phase." : "`" + SlackText.escape(words[0]) + "` is not a phase.")
                            + " " + r.get().key() + " is " + r.get().phase().label() + " and can move to: " + legal
                            + ".",
                    in.command(),
                    usage);
        }
        Optional<String> reason =
                words.length > 1 ? Optional.of(SlackText.decode(words[1]).strip()) : Optional.empty();
        return answer(
                incidents.moveTo(r.get().key(), phase.get(), in.userId(), reason, told(in.userId(), "")),
                in.userId(),
                "");
    }

    Reply lead(Invocation in, String args) {
        String usage = "lead [INC-<n>] @user";
        IncidentResolver.Resolved r = resolver.resolve(in, args, usage);
        if (r.failed()) {
            return r.error().get();
        }
        Optional<String> user = SlackText.userId(r.rest());
        if (user.isEmpty()) {
            return Reply.error("Name the new commander as @someone.", in.command(), usage);
        }
        return answer(
                incidents.setCommander(r.get().key(), user.get(), in.userId(), told(in.userId(), "")), in.userId(), "");
    }

    Reply note(Invocation in, String args) {
        String usage = "note [INC-<n>] <text>";
        IncidentResolver.Resolved r = resolver.resolve(in, args, usage);
        if (r.failed()) {
            return r.error().get();
        }
        if (r.rest().isBlank()) {
            return Reply.error("A note needs some text.", in.command(), usage);
        }
        Outcome outcome = incidents.addNote(r.get().key(), SlackText.decode(r.rest()), in.userId());
        return Reply.ephemeral(outcome.detail());
    }

    /** The person's answer; everyone's notice in the card thread was stored with the change ({@link #told}). */
    private static Reply answer(Outcome outcome, String actor, String noticePrefix) {
        String icon = switch (outcome.status()) {
            case CHANGED -> ":white_check_mark: ";
            case UNCHANGED -> ":information_source: ";
            default -> ":no_entry: ";
        };
        return Reply.ephemeral(icon + outcome.detail());
    }

    /** Everyone's notice of a change in the card thread, stored in the change's transaction. */
    private OnChange told(String actor, String noticePrefix) {
        return (tx, outcome) ->
                notices.post(tx, outcome.incident().get().key(), "<@" + actor + "> " + noticePrefix + outcome.detail());
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("assess", Action.ASSESS)
            .subcommand("sev", Action.SEVERITY)
            .subcommand("status", Action.PHASE)
            .subcommand("lead", Action.COMMANDER)
            .subcommand("note", Action.NOTE)
            .blockAction(ASSESS_BUTTON, Action.ASSESS)
            .blockAction(NOTE_BUTTON, Action.NOTE)
            .blockAction(RESOLVE_BUTTON, Action.PHASE)
            .blockAction(PHASE_MENU, Action.PHASE)
            .view(NOTE_MODAL, Action.NOTE)
            .view(AssessmentModal.CALLBACK_ID, Action.ASSESS)
            .shortcut(REPORT_SHORTCUT, Action.REPORT)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.blockAction(ASSESS_BUTTON, (req, ctx) -> {
            var payload = req.getPayload();
            keyOf(payload.getActions().get(0).getValue())
                    .flatMap(incidents::find)
                    .ifPresentOrElse(
                            incident -> openModal(
                                    io.firebreak.bot.slack.SlackWorkspace.of(req),
                                    payload.getTriggerId(),
                                    AssessmentModal.forIncident(incident.key(), incident.title()),
                                    Optional.ofNullable(payload.getResponseUrl())),
                            () -> respondLater(payload.getResponseUrl(), ":warning: That incident no longer exists."));
            return ctx.ack();
        });
        app.blockAction(RESOLVE_BUTTON, (req, ctx) -> {
            var payload = req.getPayload();
            buttonChange(
                    payload.getActions().get(0).getValue(),
                    payload.getUser().getId(),
                    payload.getResponseUrl(),
                    key -> incidents.moveTo(
                            key,
                            Phase.RESOLVED,
                            payload.getUser().getId(),
                            Optional.empty(),
                            told(payload.getUser().getId(), "")));
            return ctx.ack();
        });
        app.blockAction(PHASE_MENU, (req, ctx) -> {
            var payload = req.getPayload();
            String value = Optional.ofNullable(payload.getActions().get(0).getSelectedOption())
                    .map(o -> o.getValue())
                    .orElse("");
            String[] parts = value.split(":", 2);
            Optional<Phase> phase = parts.length == 2 ? Phase.parse(parts[1]) : Optional.empty();
            if (phase.isEmpty()) {
                respondLater(payload.getResponseUrl(), ":warning: That menu choice is not a phase.");
                return ctx.ack();
            }
            buttonChange(
                    parts[0],
                    payload.getUser().getId(),
                    payload.getResponseUrl(),
                    key -> incidents.moveTo(
                            key,
                            phase.get(),
                            payload.getUser().getId(),
                            Optional.empty(),
                            told(payload.getUser().getId(), "")));
            return ctx.ack();
        });
        app.blockAction(NOTE_BUTTON, (req, ctx) -> {
            var payload = req.getPayload();
            keyOf(payload.getActions().get(0).getValue())
                    .ifPresent(key -> openModal(
                            io.firebreak.bot.slack.SlackWorkspace.of(req),
                            payload.getTriggerId(),
                            noteModal(key),
                            Optional.ofNullable(payload.getResponseUrl())));
            return ctx.ack();
        });
        app.viewSubmission(NOTE_MODAL, (req, ctx) -> {
            var view = req.getPayload().getView();
            Optional<IncidentKey> key = keyOf(view.getPrivateMetadata());
            String text = Forms.text(view.getState(), "note").orElse("");
            if (text.isEmpty()) {
                return ctx.ackWithErrors(java.util.Map.of("note", "A note needs some text."));
            }
            if (key.isEmpty() || incidents.find(key.get()).isEmpty()) {
                return ctx.ackWithErrors(java.util.Map.of("note", "That incident no longer exists."));
            }
            incidents.addNote(key.get(), text, req.getPayload().getUser().getId());
            return ctx.ack();
        });
        app.viewSubmission(AssessmentModal.CALLBACK_ID, (req, ctx) -> {
            var payload = req.getPayload();
            String metadata =
                    Optional.ofNullable(payload.getView().getPrivateMetadata()).orElse("");
            boolean reporting = metadata.equals(AssessmentModal.NEW);
            AssessmentModal.Submitted submitted =
                    AssessmentModal.read(payload.getView().getState(), reporting);
            if (!submitted.errors().isEmpty()) {
                return ctx.ackWithErrors(submitted.errors());
            }
            String user = payload.getUser().getId();
            IncidentKey key;
            if (reporting) {
                String title = submitted.title().get();
                Incident opened = incidents.open(new IncidentService.OpenRequest(
                                title,
                                Optional.empty(),
                                user,
                                user,
                                submitted.channel(),
                                "shortcut",
                                AssessmentModal.privateIncident(
                                        payload.getView().getState()))
                        .in(io.firebreak.bot.slack.SlackWorkspace.of(req)));
                submitted.description().ifPresent(d -> incidents.addNote(opened.key(), d, user));
                key = opened.key();
            } else {
                Optional<IncidentKey> existing = keyOf(metadata);
                if (existing.isEmpty() || incidents.find(existing.get()).isEmpty()) {
                    return ctx.ackWithErrors(
                            java.util.Map.of(AssessmentModal.CAUGHT, "That incident no longer exists."));
                }
                key = existing.get();
            }
            Outcome outcome = incidents.assess(key, submitted.answers().get(), user, told(user, ""));
            if (outcome.status() == Outcome.Status.FORBIDDEN) {
                return ctx.ackWithErrors(java.util.Map.of(AssessmentModal.CAUGHT, outcome.detail()));
            }
            return ctx.ack();
        });
        app.globalShortcut(REPORT_SHORTCUT, (req, ctx) -> {
            openModal(
                    io.firebreak.bot.slack.SlackWorkspace.of(req),
                    req.getPayload().getTriggerId(),
                    AssessmentModal.forNewIncident(),
                    Optional.empty());
            return ctx.ack();
        });
    }

    /** Applies a button's change to the incident's current state (never to what the card showed) and answers. */
    private void buttonChange(
            String value, String user, String responseUrl, java.util.function.Function<IncidentKey, Outcome> change) {
        Optional<IncidentKey> key = keyOf(value);
        if (key.isEmpty()) {
            respondLater(responseUrl, ":warning: That button does not name an incident.");
            return;
        }
        LogContext.incident(key.get());
        Reply reply = answer(change.apply(key.get()), user, "");
        respondLater(responseUrl, reply.text());
    }

    private static Optional<IncidentKey> keyOf(String value) {
        return Optional.ofNullable(value).flatMap(IncidentKey::parse);
    }

    private static View noteModal(IncidentKey key) {
        return Forms.form(
                NOTE_MODAL,
                key.toString(),
                "Add a note",
                "Add",
                List.of(input(i -> i.blockId("note")
                        .label(plainText("Note for " + key))
                        .element(plainTextInput(
                                p -> p.actionId("note").multiline(true).maxLength(3000))))));
    }

    /** Opens {@code view} as {@code workspace}, the one the trigger came from. */
    private void openModal(
            io.firebreak.bot.access.Workspace workspace, String triggerId, View view, Optional<String> responseUrl) {
        modals.in(workspace).open(triggerId, view, responseUrl);
    }

    private void respondLater(String responseUrl, String text) {
        modals.respond(responseUrl, text);
    }
}
