package io.firebreak.bot.slack;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.storage.incident.Incident;
import java.util.List;

/**
 * A feature's part of the incident card (active containment, attached runs, …), rendered from stored state
 * each time the card is published. Keep it short: the whole card must stay under Slack's 50 blocks.
 */
@FunctionalInterface
public interface CardSection {
    List<LayoutBlock> blocks(Incident incident);
}
