package io.firebreak.bot.paging.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;

import com.slack.api.model.block.LayoutBlock;
import io.firebreak.bot.paging.PagingService;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.incident.Incident;
import java.util.List;

/** The card's paging line: each paged service and where its PagerDuty alert stands. */
public final class PagingSection implements CardSection {
    private final PagingService paging;

    public PagingSection(PagingService paging) {
        this.paging = paging;
    }

    @Override
    public List<LayoutBlock> blocks(Incident incident) {
        List<String> lines = paging.summary(incident.key());
        if (lines.isEmpty()) {
            return List.of();
        }
        String text = ":pager: *PagerDuty* · " + SlackText.escape(String.join(" · ", lines));
        return List.of(context(List.of(markdownText(BlockKit.cut(text, BlockKit.TEXT_OBJECT)))));
    }
}
