package io.firebreak.bot.containment.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.containment.Notice;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.containment.UndoState;
import io.firebreak.storage.incident.Incident;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Job handler of {@link ContainmentService#NOTICE_JOB}: tells the incident's thread (replies to the card) what
 * happened to an action run, in words a responder understands: the approval request with Approve and Deny, the
 * outcome with Undo, the undo's outcome. Messages are rendered from the run's current state, so a late notice
 * never shows a button that no longer applies.
 */
public final class ContainmentNotifier {
    /** How long a notice waits for the incident card to be posted, so it can go in the card's thread. */
    private static final Duration WAIT_FOR_CARD = Duration.ofMinutes(2);

    private final ContainmentService containment;
    private final IncidentService incidents;
    private final SlackWebApi slack;
    private final Clock clock;

    public ContainmentNotifier(
            ContainmentService containment, IncidentService incidents, SlackWebApi slack, Clock clock) {
        this.containment = containment;
        this.incidents = incidents;
        this.slack = slack;
        this.clock = clock;
    }

    /** Where a notice goes: the card's thread, or the incident's channel when there is no card. */
    /** Where a notice goes, and Slack as the incident's workspace. */
    private record Place(String channel, Optional<String> threadTs, SlackWebApi slack) {}

    public void runJob(String instanceId) {
        Notice.Of of = Notice.Of.parse(instanceId);
        Optional<ContainmentRun> found = containment.find(of.runId());
        Optional<Incident> incident = found.flatMap(r -> incidents.find(r.incident()));
        if (found.isEmpty() || incident.isEmpty()) {
            return;
        }
        Optional<Place> place = place(incident.get());
        if (place.isEmpty()) {
            return;
        }
        ContainmentRun run = found.get();
        switch (of.notice()) {
            case APPROVAL_REQUESTED ->
                post(place.get(), approval(run), fallback(run, "approval requested"))
                        .ifPresent(ts -> containment.recordApprovalMessage(
                                run.id(), place.get().channel(), ts));
            case APPROVED, DENIED, EXPIRED ->
                run.approval()
                        .message()
                        .ifPresentOrElse(
                                message -> update(
                                        place.get(),
                                        message,
                                        approval(run),
                                        fallback(run, run.state().label())),
                                () -> post(
                                        place.get(),
                                        approval(run),
                                        fallback(run, run.state().label())));
            case SUCCEEDED, FAILED ->
                post(place.get(), outcome(run), fallback(run, run.state().label()))
                        .ifPresent(ts -> containment.recordOutcomeMessage(
                                run.id(), place.get().channel(), ts));
            case UNDONE, UNDO_FAILED -> {
                post(place.get(), undone(run), fallback(run, of.notice() == Notice.UNDONE ? "undone" : "undo failed"));
                run.outcomeMessage()
                        .ifPresent(message -> update(
                                place.get(),
                                message,
                                outcome(run),
                                fallback(run, run.state().label())));
            }
        }
    }

    private Optional<Place> place(Incident incident) {
        if (incident.cardChannel().isPresent() && incident.cardTs().isPresent()) {
            return Optional.of(new Place(incident.cardChannel().get(), incident.cardTs(), slack.forIncident(incident)));
        }
        Optional<String> channel = incident.channelId().or(incident::originChannel);
        if (channel.isPresent() && clock.instant().isBefore(incident.openedAt().plus(WAIT_FOR_CARD))) {
            throw new RetryLater(
                    clock.instant().plusSeconds(2), "the card of " + incident.key() + " is not posted yet");
        }
        return channel.map(c -> new Place(c, Optional.empty(), slack.forIncident(incident)));
    }

    /** The approval request: who asks for what and why, with Approve and Deny while it waits, else the decision. */
    private List<LayoutBlock> approval(ContainmentRun run) {
        String title = containment.title(run);
        List<String> approvers = containment.approvers().ids();
        String text = ":raised_hand: " + SlackText.user(run.requestedBy()) + " asks to *" + SlackText.escape(title)
                + "* "
                + ContainmentCommands.params(run) + " on *" + run.incident() + "*.\n" + quote(run.reason()) + "\n"
                + containment
                        .catalog()
                        .find(run.action())
                        .map(a -> "It is " + a.approvalRule() + " and " + run.incident() + " is "
                                + run.severity().map(s -> s.label()).orElse("not assessed")
                                + ", so an approver must agree. ")
                        .orElse("")
                + (approvers.isEmpty()
                        ? "Anyone but " + SlackText.user(run.requestedBy()) + " may approve."
                        : "Approvers: "
                                + String.join(
                                        ", ",
                                        approvers.stream().map(SlackText::user).toList()) + ".");
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(BlockKit.cut(text, BlockKit.SECTION_TEXT)))));
        if (run.state() == RunState.PENDING_APPROVAL) {
            blocks.add(actions(List.of(
                    button(b -> b.actionId(ContainmentViews.APPROVE_BUTTON)
                            .value(run.id())
                            .style("primary")
                            .text(plainText("Approve"))),
                    button(b -> b.actionId(ContainmentViews.DENY_BUTTON)
                            .value(run.id())
                            .style("danger")
                            .text(plainText("Deny"))))));
            blocks.add(context(c -> c.elements(List.of(markdownText("Run `" + run.id() + "` · expires "
                    + run.approval().expiresAt().map(SlackText::date).orElse("never"))))));
        } else {
            blocks.add(context(c -> c.elements(List.of(markdownText(decision(run) + " · run `" + run.id() + "`")))));
        }
        return blocks;
    }

    private static String decision(ContainmentRun run) {
        String when =
                run.approval().decidedAt().map(at -> " " + SlackText.date(at)).orElse("");
        return switch (run.state()) {
            case PENDING_APPROVAL -> "Waiting for approval";
            case DENIED ->
                run.approval()
                                .decidedBy()
                                .filter(u -> u.equals(run.requestedBy()))
                                .isPresent()
                        ? ":no_entry: Withdrawn by " + SlackText.user(run.requestedBy()) + when
                        : ":no_entry: Denied by "
                                + run.approval()
                                        .decidedBy()
                                        .map(SlackText::user)
                                        .orElse("an approver") + when;
            case EXPIRED ->
                ":hourglass: Expired "
                        + run.approval().expiresAt().map(SlackText::date).orElse("") + ": nobody approved it";
            default ->
                ":white_check_mark: Approved by "
                        + run.approval().decidedBy().map(SlackText::user).orElse("an approver") + when;
        };
    }

    /** The outcome of the call: in effect (with Undo), failed and why, or undone. */
    private List<LayoutBlock> outcome(ContainmentRun run) {
        String what = "*" + SlackText.escape(containment.title(run)) + "* " + ContainmentCommands.params(run);
        String outcome = SlackText.escape(run.execution().outcome().orElse(""));
        String text = switch (run.state()) {
            case SUCCEEDED -> ":shield: " + what + " is in effect on " + run.incident() + ": " + outcome + ".";
            case FAILED ->
                run.unknown()
                        ? ":grey_question: " + what + " on " + run.incident() + " is " + outcome + "."
                        : failed(what, run, outcome);
            case UNDONE ->
                ":leftwards_arrow_with_hook: " + what + " was in effect on " + run.incident() + ", then undone by "
                        + run.undo().map(u -> SlackText.user(u.requestedBy())).orElse("a responder")
                        + run.undo()
                                .flatMap(ContainmentRun.Undo::finishedAt)
                                .map(at -> " " + SlackText.date(at))
                                .orElse("")
                        + ".";
            default -> failed(what, run, outcome);
        };
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(BlockKit.cut(text, BlockKit.SECTION_TEXT)))));
        blocks.add(context(c -> c.elements(List.of(markdownText(BlockKit.cut(
                "Fired by " + SlackText.user(run.requestedBy())
                        + run.approval()
                                .decidedBy()
                                .filter(u -> run.state() != RunState.DENIED)
                                .map(u -> ", approved by " + SlackText.user(u))
                                .orElse("")
                        + " · " + quoteInline(run.reason()) + " · run `" + run.id() + "` · "
                        + run.execution().attempts()
                        + (run.execution().attempts() == 1 ? " attempt" : " attempts"),
                2000))))));
        List<BlockElement> buttons = new ArrayList<>();
        retryButton(run).ifPresent(buttons::add);
        undoButton(run).ifPresent(buttons::add);
        if (!buttons.isEmpty()) {
            blocks.add(actions(buttons));
        }
        return blocks;
    }

    private static String failed(String what, ContainmentRun run, String outcome) {
        return ":x: " + what + " failed on " + run.incident() + ": " + outcome + ". "
                + (run.undoable()
                        ? "The call was accepted, so Undo may be needed."
                        : "Nothing was contained by this action; fix the cause and fire it again.");
    }

    /** Retry, on a run whose outcome is unknown and that no undo is lifting. */
    static Optional<BlockElement> retryButton(ContainmentRun run) {
        boolean undoing = run.undo().map(u -> u.state() != UndoState.FAILED).orElse(false);
        if (!run.unknown() || undoing) {
            return Optional.empty();
        }
        return Optional.of(button(b -> b.actionId(ContainmentViews.RETRY_BUTTON)
                .value(run.id())
                .style("primary")
                .text(plainText("Retry"))));
    }

    /** The undo's outcome, as a reply in the thread. */
    private List<LayoutBlock> undone(ContainmentRun run) {
        ContainmentRun.Undo undo = run.undo().orElseThrow();
        String what = "*" + SlackText.escape(containment.title(run)) + "* " + ContainmentCommands.params(run);
        String outcome = SlackText.escape(undo.outcome().orElse(""));
        String text = undo.state() == UndoState.SUCCEEDED
                ? ":leftwards_arrow_with_hook: " + what + " is lifted on " + run.incident() + ": " + outcome
                        + ". Undone by " + SlackText.user(undo.requestedBy()) + ".\n" + quote(undo.reason())
                : ":warning: The undo of " + what + " failed: " + outcome
                        + ". The containment is still in effect; try Undo again once the cause is fixed.";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(BlockKit.cut(text, BlockKit.SECTION_TEXT)))));
        undoButton(run).ifPresent(button -> blocks.add(actions(List.of(button))));
        return blocks;
    }

    static Optional<BlockElement> undoButton(ContainmentRun run) {
        boolean underWay = run.undo()
                .map(u -> u.state() == UndoState.QUEUED || u.state() == UndoState.RUNNING)
                .orElse(false);
        if (!run.undoable() || underWay) {
            return Optional.empty();
        }
        return Optional.of(button(
                b -> b.actionId(ContainmentViews.UNDO_BUTTON).value(run.id()).text(plainText("Undo"))));
    }

    private String fallback(ContainmentRun run, String what) {
        return BlockKit.cut(run.incident() + ": " + containment.title(run) + " " + what, 300);
    }

    private static String quote(String reason) {
        return reason.isBlank()
                ? "_No reason given._"
                : BlockKit.cut(">" + SlackText.escape(reason).replace("\n", "\n>"), 1500);
    }

    private static String quoteInline(String reason) {
        return reason.isBlank() ? "no reason given" : "“" + BlockKit.escaped(reason.replace('\n', ' '), 300) + "”";
    }

    /** Posts in the thread; the message's ts, or empty when Slack refused for good. Throws RetryLater when it may work later. */
    private Optional<String> post(Place place, List<LayoutBlock> blocks, String text) {
        SlackWebApi.Result<com.slack.api.methods.response.chat.ChatPostMessageResponse> posted = place.slack()
                .call(
                        "chat.postMessage",
                        m -> m.chatPostMessage(r -> r.channel(place.channel())
                                .threadTs(place.threadTs().orElse(null))
                                .text(text)
                                .blocks(blocks)));
        retryIfTransient(posted);
        return posted.response().map(com.slack.api.methods.response.chat.ChatPostMessageResponse::getTs);
    }

    private void update(Place place, ContainmentRun.SlackMessage message, List<LayoutBlock> blocks, String text) {
        retryIfTransient(place.slack()
                .call(
                        "chat.update",
                        m -> m.chatUpdate(r -> r.channel(message.channel())
                                .ts(message.ts())
                                .text(text)
                                .blocks(blocks))));
    }

    private void retryIfTransient(SlackWebApi.Result<?> result) {
        if (result.retryable()) {
            throw new RetryLater(
                    clock.instant().plus(result.retryAfter().orElse(Duration.ofSeconds(5))),
                    "Slack answered " + result.error().orElse("unknown") + " for a containment notice");
        }
    }
}
