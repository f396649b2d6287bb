package io.firebreak.bot.slack;

import static com.slack.api.model.block.Blocks.divider;
import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.block.LayoutBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How BlockKit cuts escaped text and splits growing messages: what a reader sees at the end of a cut. */
class BlockKitTest {

    @Test
    void aCutAfterEscapingNeverSplitsAnEntityAndSaysSo() {
        String escaped = BlockKit.escaped("a".repeat(9) + "&".repeat(20), 20);

        assertThat(escaped)
                .hasSizeLessThanOrEqualTo(20)
                .endsWith("…")
                .startsWith("aaaaaaaaa&amp;")
                .doesNotContainPattern("&(a|am|amp)?…");
        for (int max = 1; max < 40; max++) {
            assertThat(BlockKit.escaped("<b>&</b> & <i>", max))
                    .hasSizeLessThanOrEqualTo(Math.max(max, 1))
                    .doesNotContainPattern("&[a-z]{0,3}…");
        }
    }

    @Test
    void aCutNeverEndsInsideALinkMentionOrDate() {
        String text = "Paged <@U024BE7LH> and <https://example.com/a/very/long/path|the runbook> at "
                + SlackText.date(java.time.Instant.EPOCH);

        for (int max = 2; max < text.length(); max++) {
            String cut = BlockKit.cut(text, max);
            assertThat(cut).hasSizeLessThanOrEqualTo(max).endsWith("…");
            assertThat(cut.lastIndexOf('<')).as("cut at %d: %s", max, cut).isLessThanOrEqualTo(cut.lastIndexOf('>'));
        }
        assertThat(BlockKit.cut(text, text.length())).isEqualTo(text);
    }

    @Test
    void aCutWithAPointerTellsWhereTheRestCanBeRead() {
        String cut = BlockKit.cut("word ".repeat(1000), 3000, "full text: `/incident show INC-3`");

        assertThat(cut).hasSizeLessThanOrEqualTo(3000).endsWith("… (full text: `/incident show INC-3`)");
        assertThat(BlockKit.cut("short", 3000, "full text")).isEqualTo("short");
    }

    @Test
    void plainTextKeepsEmojiWholeAndEndsBetweenWords() {
        String cut = BlockKit.plain("Contain 💸💸💸💸💸💸💸💸💸💸💸💸", 24);

        assertThat(cut).hasSizeLessThanOrEqualTo(24).endsWith("…");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }

    @Test
    void aListShowsWholeLinesAndCountsTheRestWithinTheLimit() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            lines.add("• *INC-" + i + "* " + "wrong refunds &amp; more ".repeat(5));
        }

        String text = BlockKit.lines(
                "*Open incidents* (60)\n",
                lines,
                BlockKit.MESSAGE_TEXT,
                more -> "…and " + more + " more: `GET /api/incidents`");

        assertThat(text.length()).isLessThanOrEqualTo(BlockKit.MESSAGE_TEXT);
        int shown = (int) text.lines().filter(l -> l.startsWith("• ")).count();
        assertThat(text.lines().filter(l -> l.startsWith("• ")))
                .allSatisfy(l -> assertThat(lines).contains(l));
        assertThat(text).endsWith("…and " + (60 - shown) + " more: `GET /api/incidents`");
        assertThat(BlockKit.lines("head\n", lines.subList(0, 2), 4000, more -> "never"))
                .doesNotContain("never")
                .endsWith("&amp; more");
    }

    @Test
    void pagesKeepEveryGroupWholeWithinTheBudget() {
        List<List<LayoutBlock>> groups = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            groups.add(new ArrayList<>(Collections.nCopies(9, divider())));
        }

        List<List<LayoutBlock>> pages = BlockKit.pages(groups, BlockKit.MESSAGE_BLOCKS, 3);

        assertThat(pages).hasSize(2);
        assertThat(pages).allSatisfy(p -> assertThat(p.size() + 3).isLessThanOrEqualTo(BlockKit.MESSAGE_BLOCKS));
        assertThat(pages.stream().mapToInt(List::size).sum()).isEqualTo(63);
    }
}
