package io.firebreak.bot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.BlockElement;
import io.firebreak.bot.incident.Lifecycle;
import io.firebreak.bot.incident.TextLimits;
import io.firebreak.storage.incident.Phase;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.timeline.TimelineEvent;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

/** The Block Kit message that shows one incident, kept within Slack's limits whatever the title. */
public final class IncidentCard {
    /** Slack's limit for a header block's text. */
    static final int HEADER_MAX = 150;
    /** Slack's limit for a section's text. */
    static final int SECTION_MAX = 3000;

    private final Clock clock;
    private final TimelineText timelineText;
    private final List<CardSection> sections = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<CardButton> buttons = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(
            new CardButton(LifecycleCommands.ASSESS_BUTTON, "Assess severity", 10),
            new CardButton(LifecycleCommands.NOTE_BUTTON, "Add note", 40)));

    public IncidentCard(Clock clock, TimelineText timelineText) {
        this.clock = clock;
        this.timelineText = timelineText;
    }

    /** Adds a feature's button; buttons show in {@link CardButton#order()}. */
    public IncidentCard withButton(CardButton button) {
        buttons.add(button);
        return this;
    }

    /** Adds a feature's section, shown below the incident's fields in the order added. */
    public IncidentCard withSection(CardSection section) {
        sections.add(section);
        return this;
    }

    /** The card's blocks. */
    public List<LayoutBlock> blocks(Incident incident) {
        Instant now = clock.instant();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(TextLimits.cut(incident.key() + " · " + incident.title(), HEADER_MAX)))));
        List<TextObject> fields = List.of(
                markdownText("*Severity*\n" + severity(incident)),
                markdownText("*Phase*\n" + incident.phase().label()),
                markdownText("*Commander*\n" + SlackText.user(incident.commander())),
                markdownText("*Reporter*\n" + SlackText.user(incident.reporter())),
                markdownText("*Opened*\n" + SlackText.date(incident.openedAt())),
                markdownText("*Age*\n" + SlackText.age(incident.openedAt(), now)));
        blocks.add(section(s -> s.fields(fields)));
        if (incident.title().length() > HEADER_MAX - incident.key().toString().length() - 3) {
            blocks.add(section(s -> s.text(markdownText(TextLimits.cut(SlackText.escape(incident.title()), SECTION_MAX)))));
        }
        incident.severityReason().ifPresent(reason -> blocks.add(context(c -> c.elements(List.of(markdownText(
                "Severity " + TextLimits.cut(SlackText.escape(reason), 500)))))));
        sections.forEach(section -> blocks.addAll(section.blocks(incident)));
        blocks.add(actions(incident));
        blocks.add(context(c -> c.elements(List.of(markdownText(incident.key() + " · opened via " + incident.source()
                + incident.originChannel().map(ch -> " in <#" + ch + ">").orElse(""))))));
        return blocks;
    }

    /** The card's controls: the features' buttons, Resolve, and a menu of the phases it may move to now. */
    private LayoutBlock actions(Incident incident) {
        String key = incident.key().toString();
        List<BlockElement> elements = new ArrayList<>();
        if (incident.phase().isOpen()) {
            buttons.stream().sorted(java.util.Comparator.comparingInt(CardButton::order)).forEach(b -> elements.add(
                    button(x -> x.actionId(b.actionId()).text(plainText(b.label())).value(key))));
        }
        if (Lifecycle.allowed(incident.phase(), Phase.RESOLVED)) {
            elements.add(button(x -> x.actionId(LifecycleCommands.RESOLVE_BUTTON).text(plainText("Resolve")).value(key).style("primary")
                    .confirm(confirmationDialog(c -> c.title(plainText("Resolve " + key + "?"))
                            .text(plainText("The incident moves to resolved. Containment stays active until you undo it."))
                            .confirm(plainText("Resolve")).deny(plainText("Cancel"))))));
        }
        List<OptionObject> phases = Lifecycle.next(incident.phase()).stream()
                .map(p -> option(plainText(p == Phase.INVESTIGATING && incident.phase() == Phase.CLOSED ? "Reopen (investigating)" : capitalized(p)),
                        key + ":" + p.name()))
                .toList();
        elements.add(staticSelect(x -> x.actionId(LifecycleCommands.PHASE_MENU).placeholder(plainText("Move to…")).options(phases)));
        return com.slack.api.model.block.Blocks.actions(a -> a.blockId("incident_actions").elements(elements));
    }

    private static String capitalized(Phase phase) {
        return phase.label().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + phase.label().substring(1);
    }

    /**
     * The incident's state without its header and controls, for the handoff pack: fields, how the severity was
     * set, and every feature's section (active containment, runs and evidence gaps, …).
     */
    public List<LayoutBlock> summaryBlocks(Incident incident) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (LayoutBlock block : blocks(incident)) {
            if (!(block instanceof com.slack.api.model.block.HeaderBlock) && !(block instanceof com.slack.api.model.block.ActionsBlock)
                    && !(block instanceof com.slack.api.model.block.ContextBlock c && c.getElements().toString().contains("opened via"))) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** The card followed by the newest timeline events, for {@code show}. */
    public List<LayoutBlock> blocksWithTimeline(Incident incident, List<TimelineEvent> events, int total) {
        List<LayoutBlock> blocks = new ArrayList<>(blocks(incident));
        StringBuilder lines = new StringBuilder("*Timeline* (" + events.size() + " newest of " + total + ")\n");
        for (TimelineEvent event : events) {
            lines.append(timelineText.line(event)).append('\n');
        }
        String text = TextLimits.cut(lines.toString().stripTrailing(), SECTION_MAX);
        blocks.add(section(s -> s.text(markdownText(text))));
        return blocks;
    }

    /** Plain fallback text for notifications and screen readers. */
    public String fallbackText(Incident incident) {
        // Slack renders the fallback as mrkdwn in notifications: a title's <!channel> or <https://evil|click> stays text.
        return SlackText.escape(TextLimits.cut(incident.key() + " [" + severityPlain(incident) + ", " + incident.phase().label() + "] "
                + incident.title(), 300));
    }

    static String severity(Incident incident) {
        return incident.severity().map(s -> switch (s) {
            case CRITICAL -> ":red_circle: critical";
            case HIGH -> ":large_orange_circle: high";
            case MEDIUM -> ":large_yellow_circle: medium";
            case LOW -> ":white_circle: low";
        }).orElse(":grey_question: not assessed");
    }

    static String severityPlain(Incident incident) {
        return incident.severity().map(s -> s.label()).orElse("not assessed");
    }
}
