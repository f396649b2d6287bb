package io.firebreak.bot.incident.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import io.firebreak.bot.incident.Lifecycle;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.CardButton;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.IncidentSummary;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The Block Kit message that shows one incident, kept within Slack's limits whatever the title. */
public final class IncidentCard implements IncidentSummary {
    private final Clock clock;
    private final TimelineText timelineText;
    private final List<CardSection> sections;
    private final List<CardButton> buttons;

    /**
     * A card showing the features' {@code sections} below the incident's fields, in the order given, and their
     * {@code buttons} beside the incident's own, in {@link CardButton#order()}.
     */
    public IncidentCard(Clock clock, TimelineText timelineText, List<CardSection> sections, List<CardButton> buttons) {
        this.clock = clock;
        this.timelineText = timelineText;
        this.sections = List.copyOf(sections);
        List<CardButton> all = new ArrayList<>(buttons);
        all.add(new CardButton(LifecycleCommands.ASSESS_BUTTON, "Assess severity", 10));
        all.add(new CardButton(LifecycleCommands.NOTE_BUTTON, "Add note", 40));
        all.sort(java.util.Comparator.comparingInt(CardButton::order));
        this.buttons = List.copyOf(all);
    }

    /** The card's blocks. */
    public List<LayoutBlock> blocks(Incident incident) {
        Instant now = clock.instant();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h ->
                h.text(plainText(BlockKit.plain(incident.key() + " · " + incident.title(), BlockKit.HEADER_TEXT)))));
        // Commander and reporter can come from outside (a report form's free text), so each field is cut to its limit.
        List<TextObject> fields = List.of(
                markdownText("*Severity*\n" + SlackText.severity(incident)),
                markdownText("*Phase*\n" + incident.phase().label()),
                markdownText(BlockKit.cut("*Commander*\n" + SlackText.user(incident.commander()), BlockKit.FIELD_TEXT)),
                markdownText(BlockKit.cut("*Reporter*\n" + SlackText.user(incident.reporter()), BlockKit.FIELD_TEXT)),
                markdownText("*Opened*\n" + SlackText.date(incident.openedAt())),
                markdownText("*Age*\n" + SlackText.age(incident.openedAt(), now)));
        blocks.add(section(s -> s.fields(fields)));
        if (incident.title().length()
                > BlockKit.HEADER_TEXT - incident.key().toString().length() - 3) {
            blocks.add(section(s -> s.text(markdownText(BlockKit.cut(
                    SlackText.escape(incident.title()),
                    BlockKit.SECTION_TEXT,
                    "full title: `/incident show " + incident.key() + "`")))));
        }
        incident.severityReason()
                .ifPresent(reason -> blocks.add(context(
                        c -> c.elements(List.of(markdownText("Severity " + BlockKit.escaped(reason, 500)))))));
        sections.forEach(section -> blocks.addAll(section.blocks(incident)));
        blocks.add(actions(incident));
        blocks.add(context(c -> c.elements(List.of(markdownText(incident.key() + " · opened via " + incident.source()
                + incident.originChannel().map(ch -> " in <#" + ch + ">").orElse("")
                + (incident.privateIncident() ? " · " + PrivateFlag.ON_CARD : ""))))));
        return blocks;
    }

    /** The card's controls: the features' buttons, Resolve, and a menu of the phases it may move to now. */
    private LayoutBlock actions(Incident incident) {
        String key = incident.key().toString();
        List<BlockElement> elements = new ArrayList<>();
        if (incident.phase().isOpen()) {
            buttons.forEach(b -> elements.add(button(x -> x.actionId(b.actionId())
                    .text(plainText(BlockKit.plain(b.label(), BlockKit.BUTTON_TEXT)))
                    .value(key))));
        }
        if (Lifecycle.allowed(incident.phase(), Phase.RESOLVED)) {
            elements.add(button(x -> x.actionId(LifecycleCommands.RESOLVE_BUTTON)
                    .text(plainText("Resolve"))
                    .value(key)
                    .style("primary")
                    .confirm(confirmationDialog(c -> c.title(plainText("Resolve " + key + "?"))
                            .text(plainText(
                                    "The incident moves to resolved. Containment stays active until you undo it."))
                            .confirm(plainText("Resolve"))
                            .deny(plainText("Cancel"))))));
        }
        List<OptionObject> phases = Lifecycle.next(incident.phase()).stream()
                .map(p -> option(
                        plainText(
                                p == Phase.INVESTIGATING && incident.phase() == Phase.CLOSED
                                        ? "Reopen (investigating)"
                                        : capitalized(p)),
                        key + ":" + p.name()))
                .toList();
        elements.add(staticSelect(x -> x.actionId(LifecycleCommands.PHASE_MENU)
                .placeholder(plainText("Move to…"))
                .options(phases)));
        return com.slack.api.model.block.Blocks.actions(
                a -> a.blockId("incident_actions").elements(elements));
    }

    private static String capitalized(Phase phase) {
        return phase.label().substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + phase.label().substring(1);
    }

    /**
     * The incident's state without its header and controls, for the handoff pack: fields, how the severity was
     * set, and every feature's section (active containment, runs and evidence gaps, …).
     */
    @Override
    public List<LayoutBlock> summaryBlocks(Incident incident) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (LayoutBlock block : blocks(incident)) {
            if (!(block instanceof com.slack.api.model.block.HeaderBlock)
                    && !(block instanceof com.slack.api.model.block.ActionsBlock)
                    && !(block instanceof com.slack.api.model.block.ContextBlock c
                            && c.getElements().toString().contains("opened via"))) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    @Override
    public String timelineLine(TimelineEvent event) {
        return timelineText.line(event);
    }

    /** The card followed by the newest timeline events, for {@code show}. */
    public List<LayoutBlock> blocksWithTimeline(Incident incident, List<TimelineEvent> events, int total) {
        List<LayoutBlock> blocks = new ArrayList<>(blocks(incident));
        StringBuilder lines = new StringBuilder("*Timeline* (" + events.size() + " newest of " + total + ")\n");
        for (TimelineEvent event : events) {
            lines.append(timelineText.line(event)).append('\n');
        }
        String text = BlockKit.cut(lines.toString().stripTrailing(), BlockKit.SECTION_TEXT);
        blocks.add(section(s -> s.text(markdownText(text))));
        return blocks;
    }

    /** Plain fallback text for notifications and screen readers. */
    public String fallbackText(Incident incident) {
        // Slack renders the fallback as mrkdwn in notifications: a title's <!channel> or <https://evil|click> stays
        // text.
        return BlockKit.cut(
                incident.key() + " [" + SlackText.severityPlain(incident) + ", "
                        + incident.phase().label() + "] " + SlackText.escape(incident.title()),
                300);
    }
}
