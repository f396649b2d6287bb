package io.firebreak.bot.handoff.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.usersSelect;
import static com.slack.api.model.view.Views.view;

import com.slack.api.bolt.App;
import com.slack.api.model.view.View;
import io.firebreak.bot.access.Action;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.handoff.OnCall;
import io.firebreak.bot.handoff.OnCallRoster;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.OnChange;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BlockKit;
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
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code handoff} and {@code oncall}, the card's "Hand off" button and form, and "I have it". */
public final class HandoffCommands implements SlackFeature {
    public static final String HANDOFF_BUTTON = "incident_handoff";
    static final String HANDOFF_MODAL = "incident_handoff";

    private final HandoffService handoffs;
    private final IncidentService incidents;
    private final IncidentResolver resolver;
    private final Modals modals;
    private final ThreadNotices notices;
    private final Clock clock;
    private final io.firebreak.bot.access.Visibility visibility;
    private final OnCallRoster roster;

    private final io.firebreak.bot.access.Tenancy tenancy;

    public HandoffCommands(
            HandoffService handoffs,
            IncidentService incidents,
            Modals modals,
            ThreadNotices notices,
            Clock clock,
            io.firebreak.bot.access.Visibility visibility,
            IncidentResolver resolver,
            OnCallRoster roster,
            io.firebreak.bot.access.Tenancy tenancy) {
        this.tenancy = tenancy;
        this.visibility = visibility;
        this.roster = roster;
        this.handoffs = handoffs;
        this.incidents = incidents;
        this.resolver = resolver;
        this.modals = modals;
        this.notices = notices;
        this.clock = clock;
    }

    @Override
    public List<Subcommand> subcommands() {
        return List.of(
                new Subcommand(
                        "handoff",
                        "handoff [INC-<n>] @user [note]",
                        "hand an incident (or, with no key outside an incident channel, all you command) to another responder",
                        this::handoff),
                new Subcommand(
                        "oncall", "oncall", "open incidents, their commanders and what each waits on", this::oncall));
    }

    Reply handoff(Invocation in, String args) {
        String usage = "handoff [INC-<n>] @user [note]";
        String text = args.strip();
        String first = text.isEmpty() ? "" : text.split("\\s+", 2)[0];
        List<IncidentKey> keys;
        String rest;
        io.firebreak.storage.incident.Teams teams = tenancy.visibleTo(in.workspace());
        if (IncidentKey.looksLikeKey(first)
                || incidents.findByChannel(teams, in.channelId()).isPresent()) {
            IncidentResolver.Resolved r = resolver.resolve(in, text, usage);
            if (r.failed()) {
                return r.error().get();
            }
            keys = List.of(r.get().key());
            rest = r.rest();
        } else {
            // Everything the person commands in this workspace (never another workspace's, where the same person may
            // command too on Enterprise Grid).
            keys = tenancy.severalWorkspaces()
                    ? incidents.commandedBy(teams, in.userId()).stream()
                            .map(Incident::key)
                            .toList()
                    : List.of();
            rest = text;
        }
        String[] words = rest.split("\\s+", 2);
        Optional<String> to = words[0].isEmpty() ? Optional.empty() : SlackText.userId(words[0]);
        if (to.isEmpty()) {
            return Reply.error("Name who takes over as @someone.", in.command(), usage);
        }
        Optional<String> note = words.length > 1 ? Optional.of(SlackText.decode(words[1])) : Optional.empty();
        if (keys.isEmpty() && tenancy.severalWorkspaces() && incidents.isResponder(to.get(), in.workspace())) {
            // Left empty, the service would look for them in every workspace.
            return offered(
                    new HandoffService.Offer(
                            List.of(),
                            Optional.of(
                                    "You command no open incidents, so there is nothing to hand off. Name one: `handoff INC-<n> @user`.")),
                    to.get());
        }
        return offered(handoffs.offer(keys, to.get(), note, in.userId(), toldOfOffer(in.userId(), to.get())), to.get());
    }

    /** The thread notice of each incident offered, stored with the offer. */
    private OnChange toldOfOffer(String actor, String to) {
        return (tx, o) -> notices.post(
                tx,
                o.incident().get().key(),
                ":handshake: <@" + actor + "> is handing this incident to <@" + to + ">; <@" + actor
                        + "> stays commander until <@" + to + "> accepts.");
    }

    private static Reply offered(HandoffService.Offer offer, String to) {
        if (!offer.made()) {
            return Reply.ephemeral(":no_entry: " + offer.refusal().get());
        }
        String keys =
                offer.handoffs().stream().map(h -> "INC-" + h.incidentId()).collect(Collectors.joining(", "));
        return Reply.ephemeral(
                ":handshake: Offered " + keys + " to <@" + to + ">, who has the handoff pack in a direct message. "
                        + "You stay commander until they click *I have it*.");
    }

    Reply oncall(Invocation in, String args) {
        String onCall = onCallNow(in.workspace());
        List<Incident> open = visibility.visibleTo(in.userId(), incidents.listOpen(tenancy.visibleTo(in.workspace())));
        if (open.isEmpty()) {
            return Reply.ephemeral(onCall + ":white_check_mark: No open incidents; nobody is on an incident.");
        }
        List<String> lines = open.stream()
                .map(i -> "• *" + i.key() + "* " + SlackText.severity(i) + " · "
                        + i.phase().label()
                        + " · commander " + BlockKit.cut(SlackText.user(i.commander()), 100)
                        + " · waiting on " + OnCall.waitingOn(i, handoffs.pending(i.key()))
                        + " · " + SlackText.age(i.openedAt(), clock.instant()))
                .toList();
        // Every incident is listed or counted: the pack points here for the ones it could not show.
        return Reply.ephemeral(BlockKit.lines(
                onCall + "*On call* (" + open.size() + " open incidents)\n",
                lines,
                BlockKit.MESSAGE_TEXT,
                more -> "…and " + more
                        + " more: `/incident show INC-&lt;n&gt;` shows one, `GET /api/incidents` lists them all."));
    }

    /** Who the on-call system says is on call now, a few lines ending in a blank line; empty when none is set up. */
    private String onCallNow(io.firebreak.bot.access.Workspace workspace) {
        OnCallRoster.Roster now = roster.now(workspace);
        if (!now.configured()) {
            return "";
        }
        StringBuilder text = new StringBuilder("*On call now*\n");
        now.entries().stream()
                .limit(10)
                .forEach(e -> text.append("• ")
                        .append(BlockKit.cut(SlackText.escape(e.schedule()), 100))
                        .append(": ")
                        .append(BlockKit.cut(SlackText.user(e.person()), 100))
                        .append(e.until()
                                .map(u -> " until <!date^" + u.getEpochSecond() + "^{date_short_pretty} {time}|" + u
                                        + ">")
                                .orElse(""))
                        .append('\n'));
        if (now.entries().size() > 10) {
            text.append("…and ").append(now.entries().size() - 10).append(" more\n");
        }
        now.unreachable()
                .ifPresent(why -> text.append(":warning: ")
                        .append(BlockKit.cut(SlackText.escape(why), 300))
                        .append('\n'));
        if (now.entries().isEmpty() && now.unreachable().isEmpty()) {
            text.append("nobody, say the schedules\n");
        }
        return text.append('\n').toString();
    }

    public static final AccessMap ACCESS = AccessMap.builder()
            .subcommand("handoff", Action.HANDOFF)
            .subcommand("oncall", Action.READ_LIST)
            .blockAction(HANDOFF_BUTTON, Action.HANDOFF)
            .blockAction(HandoffPack.ACCEPT_BUTTON, Action.HANDOFF_ACCEPT)
            .view(HANDOFF_MODAL, Action.HANDOFF)
            .build();

    /** The access policy's action for each of its controls; the enforcement middleware decides on it. */
    @Override
    public AccessMap access() {
        return ACCESS;
    }

    @Override
    public void register(App app) {
        app.blockAction(HANDOFF_BUTTON, (req, ctx) -> {
            var payload = req.getPayload();
            Optional.ofNullable(payload.getActions().get(0).getValue())
                    .flatMap(IncidentKey::parse)
                    .ifPresent(key -> modals.in(io.firebreak.bot.slack.SlackWorkspace.of(req))
                            .open(payload.getTriggerId(), modal(key), Optional.ofNullable(payload.getResponseUrl())));
            return ctx.ack();
        });
        app.viewSubmission(HANDOFF_MODAL, (req, ctx) -> {
            var view = req.getPayload().getView();
            Optional<String> to = Forms.value(view.getState(), "to", "to")
                    .map(v -> v.getSelectedUser())
                    .filter(u -> !u.isBlank());
            Optional<String> note = Forms.text(view.getState(), "note");
            Optional<IncidentKey> key = IncidentKey.parse(
                    Optional.ofNullable(view.getPrivateMetadata()).orElse(""));
            if (to.isEmpty()) {
                return ctx.ackWithErrors(Map.of("to", "Choose who takes over."));
            }
            if (key.isEmpty()) {
                return ctx.ackWithErrors(Map.of("to", "That incident no longer exists."));
            }
            String actor = req.getPayload().getUser().getId();
            HandoffService.Offer offer =
                    handoffs.offer(List.of(key.get()), to.get(), note, actor, toldOfOffer(actor, to.get()));
            if (!offer.made()) {
                return ctx.ackWithErrors(
                        Map.of("to", TextLimits.cut(offer.refusal().get().replaceAll("<@(\\w+)>", "$1"), 150)));
            }
            return ctx.ack();
        });
        app.blockAction(HandoffPack.ACCEPT_BUTTON, (req, ctx) -> {
            var payload = req.getPayload();
            List<Long> ids;
            try {
                ids = Arrays.stream(
                                Optional.ofNullable(payload.getActions().get(0).getValue())
                                        .orElse("")
                                        .split(","))
                        .map(String::trim)
                        .map(Long::parseLong)
                        .toList();
            } catch (NumberFormatException e) {
                modals.respond(payload.getResponseUrl(), ":warning: That button does not name a handoff.");
                return ctx.ack();
            }
            List<Outcome> outcomes = handoffs.accept(
                    ids,
                    payload.getUser().getId(),
                    (tx, o) -> notices.post(
                            tx, o.incident().get().key(), ":white_check_mark: " + o.detail() + " (handoff accepted)"));
            String answer = outcomes.isEmpty()
                    ? ":warning: Those handoffs no longer exist."
                    : outcomes.stream()
                            .map(o -> (o.changed() ? ":white_check_mark: " : ":information_source: ") + o.detail())
                            .collect(Collectors.joining("\n"));
            modals.respond(payload.getResponseUrl(), answer);
            return ctx.ack();
        });
    }

    private static View modal(IncidentKey key) {
        return Forms.form(
                HANDOFF_MODAL,
                key.toString(),
                "Hand off " + key,
                "Hand off",
                List.of(
                        input(i -> i.blockId("to")
                                .label(plainText("Who takes over?"))
                                .element(usersSelect(
                                        u -> u.actionId("to").placeholder(plainText("Choose a responder"))))),
                        input(i -> i.blockId("note")
                                .optional(true)
                                .label(plainText("What they need to know"))
                                .element(plainTextInput(
                                        p -> p.actionId("note").multiline(true).maxLength(2000))))));
    }
}
