package io.firebreak.bot.slack;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.timeline.TimelineEvent;
import java.util.List;

/**
 * The incident card's view of an incident for other screens (the handoff pack): its state without header or
 * controls, and one line per timeline event. Lets a feature show an incident without reaching into the incident
 * feature's Slack package.
 */
public interface IncidentSummary {

    /** Fields, how the severity was set, and every feature's card section. */
    List<LayoutBlock> summaryBlocks(Incident incident);

    /** One readable line for a timeline event, in mrkdwn. */
    String timelineLine(TimelineEvent event);
}
