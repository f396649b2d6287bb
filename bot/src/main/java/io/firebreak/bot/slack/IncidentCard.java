package io.firebreak.bot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import io.firebreak.bot.incident.TextLimits;
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
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

/** The Block Kit message that shows one incident, kept within Slack's limits whatever the title. */
public final class IncidentCard {
    /** Slack's limit for a header block's text. */
    static final int HEADER_MAX = 150;
    /** Slack's limit for a section's text. */
    static final int SECTION_MAX = 3000;

    private final Clock clock;
    private final TimelineText timelineText;
    private final List<CardSection> sections = new java.util.concurrent.CopyOnWriteArrayList<>();

    public IncidentCard(Clock clock, TimelineText timelineText) {
        this.clock = clock;
        this.timelineText = timelineText;
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
        sections.forEach(section -> blocks.addAll(section.blocks(incident)));
        blocks.add(context(c -> c.elements(List.of(markdownText(incident.key() + " · opened via " + incident.source()
                + incident.originChannel().map(ch -> " in <#" + ch + ">").orElse(""))))));
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
        return TextLimits.cut(incident.key() + " [" + severityPlain(incident) + ", " + incident.phase().label() + "] " + incident.title(), 300);
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
