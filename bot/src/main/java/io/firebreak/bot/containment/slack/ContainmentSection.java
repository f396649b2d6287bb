package io.firebreak.bot.containment.slack;

import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.UndoState;
import io.firebreak.storage.incident.Incident;
import java.util.List;

/**
 * The card's containment: what is in effect, since when and who fired it, and what is waiting for approval or
 * running; with the "Contain…" button while the incident is open.
 */
public final class ContainmentSection implements CardSection {
    private static final int MAX_LINES = 10;
    /** Runs of unknown outcome given their own Retry and Undo buttons on the card; more are in the thread. */
    private static final int MAX_UNKNOWN_BUTTONS = 3;

    private final ContainmentService containment;

    public ContainmentSection(ContainmentService containment) {
        this.containment = containment;
    }

    @Override
    public List<LayoutBlock> blocks(Incident incident) {
        List<ContainmentRun> live = containment.live(incident.key());
        StringBuilder text = new StringBuilder("*Containment*\n");
        if (live.isEmpty()) {
            text.append("None active.");
        }
        live.stream()
                .limit(MAX_LINES)
                .forEach(run -> text.append(line(run)).append(relying(run)).append('\n'));
        // Containment belongs to its target: what this incident relies on from another incident is in effect here too.
        List<ContainmentRun> linked = containment.liveLinked(incident.key());
        if (live.isEmpty() && !linked.isEmpty()) {
            text.setLength(text.length() - "None active.".length());
        }
        linked.stream()
                .limit(MAX_LINES)
                .forEach(run -> text.append(":link: ")
                        .append(line(run))
                        .append(" · fired for ")
                        .append(run.incident())
                        .append('\n'));
        if (live.size() > MAX_LINES) {
            text.append("…and ")
                    .append(live.size() - MAX_LINES)
                    .append(" more; `/incident show` or the read API lists them all.");
        }
        if (incident.phase().isOpen()
                && incident.severity().isPresent()
                && containment
                        .preApproving(incident, "", "", java.util.Map.of())
                        .isEmpty()) {
            text.append(
                    ":grey_question: The severity is not confirmed by a responder: every action needs an approver until a"
                            + " responder sets or confirms it (`/incident sev`).");
        }
        // Cut short by a stop during the call: may have been applied; the responder decides (Retry or Undo).
        List<ContainmentRun> unknown = containment.unknown(incident.key());
        unknown.stream()
                .limit(MAX_LINES)
                .forEach(run -> text.append(":grey_question: *")
                        .append(SlackText.escape(containment.title(run)))
                        .append("* ")
                        .append(ContainmentCommands.params(run))
                        .append(" unknown: may have been applied (Firebreak stopped during the call) · `")
                        .append(run.id())
                        .append("`\n"));
        if (live.isEmpty() && linked.isEmpty() && !unknown.isEmpty()) {
            text.replace(text.indexOf("None active."), text.indexOf("None active.") + "None active.".length(), "");
        }
        String body = BlockKit.cut(text.toString().stripTrailing(), BlockKit.SECTION_TEXT);
        List<LayoutBlock> blocks = new java.util.ArrayList<>();
        if (!incident.phase().isOpen()) {
            blocks.add(section(s -> s.text(markdownText(body))));
        } else {
            blocks.add(section(s -> s.text(markdownText(body))
                    .accessory(button(b -> b.actionId(ContainmentViews.CONTAIN_BUTTON)
                            .value(incident.key().toString())
                            .text(plainText("Contain…"))))));
        }
        unknown.stream().limit(MAX_UNKNOWN_BUTTONS).forEach(run -> {
            List<com.slack.api.model.block.element.BlockElement> buttons = new java.util.ArrayList<>();
            ContainmentNotifier.retryButton(run).ifPresent(buttons::add);
            ContainmentNotifier.undoButton(run).ifPresent(buttons::add);
            if (!buttons.isEmpty()) {
                blocks.add(com.slack.api.model.block.Blocks.actions(
                        a -> a.blockId("unknown-" + run.id()).elements(buttons)));
            }
        });
        return blocks;
    }

    /** Which other open incidents rely on {@code run}, so an undo here is not a surprise there. */
    private String relying(ContainmentRun run) {
        List<io.firebreak.storage.incident.IncidentKey> others = containment.relyingOn(run.id());
        return others.isEmpty()
                ? ""
                : " · also relied on by "
                        + String.join(
                                ", ", others.stream().map(Object::toString).toList());
    }

    private String line(ContainmentRun run) {
        String what = "*" + SlackText.escape(containment.title(run)) + "* " + ContainmentCommands.params(run);
        return switch (run.state()) {
            case SUCCEEDED ->
                ":shield: " + what + " in effect since "
                        + SlackText.date(run.execution().finishedAt().orElse(run.requestedAt()))
                        + " · fired by " + SlackText.user(run.requestedBy())
                        + run.approval()
                                .decidedBy()
                                .map(u -> ", approved by " + SlackText.user(u))
                                .orElse("")
                        + " · `" + run.id() + "`"
                        + run.undo()
                                .map(u -> u.state() == UndoState.FAILED
                                        ? " · :warning: undo failed"
                                        : u.state() == UndoState.SUCCEEDED ? "" : " · undo under way")
                                .orElse("");
            case PENDING_APPROVAL ->
                ":raised_hand: " + what + " waiting for approval · asked by " + SlackText.user(run.requestedBy())
                        + run.approval()
                                .expiresAt()
                                .map(at -> " · expires " + SlackText.date(at))
                                .orElse("") + " · `" + run.id() + "`";
            case QUEUED ->
                run.execution().nextAttemptAt().isPresent()
                        ? ":arrows_counterclockwise: " + what + " retrying: "
                                + SlackText.escape(run.execution().outcome().orElse("")) + " · `" + run.id() + "`"
                        : ":hourglass_flowing_sand: " + what + " about to fire · `" + run.id() + "`";
            default ->
                ":hourglass_flowing_sand: " + what + " firing (attempt "
                        + run.execution().attempts() + ") · `" + run.id() + "`";
        };
    }
}
