package io.firebreak.bot.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows Slack's Block Kit limits, and the helpers that keep every text within them. Slack refuses
 * a whole message or view ({@code invalid_blocks}, {@code invalid_arguments}) when a single field is one character
 * too long, so text is cut here, after escaping, to the limit of the field it lands in, and a cut always says so
 * with "…".
 *
 * <p>Sources, by constant group: blocks — https://docs.slack.dev/reference/block-kit/blocks ; elements —
 * https://docs.slack.dev/reference/block-kit/block-elements ; composition objects —
 * https://docs.slack.dev/reference/block-kit/composition-objects ; views —
 * https://docs.slack.dev/reference/views/modal-views and https://docs.slack.dev/reference/views/home-tab-views ;
 * message text — https://docs.slack.dev/reference/methods/chat.postMessage ("Truncating content").
 */
public final class BlockKit {
    /** Blocks in one message (block-kit/blocks: "up to 50 blocks in each message"). */
    public static final int MESSAGE_BLOCKS = 50;
    /** Blocks in one modal or App Home view (views/modal-views: "Max of 100 blocks"). */
    public static final int VIEW_BLOCKS = 100;
    /** A section's {@code text} (blocks#section). */
    public static final int SECTION_TEXT = 3000;
    /** Items in a section's {@code fields} (blocks#section). */
    public static final int SECTION_FIELDS = 10;
    /** Each item of a section's {@code fields} (blocks#section). */
    public static final int FIELD_TEXT = 2000;
    /** A header's {@code text} (blocks#header). */
    public static final int HEADER_TEXT = 150;
    /** Elements in a context block (blocks#context). */
    public static final int CONTEXT_ELEMENTS = 10;
    /** Elements in an actions block (blocks#actions). */
    public static final int ACTIONS_ELEMENTS = 25;
    /** Any text object's {@code text}, where no shorter limit applies (composition-objects#text). */
    public static final int TEXT_OBJECT = 3000;
    /** An input block's {@code label} and {@code hint} (blocks#input). */
    public static final int INPUT_LABEL = 2000;
    /** {@code block_id} and {@code action_id} (blocks, block-elements). */
    public static final int ID = 255;
    /** A button's {@code text} (block-elements#button). */
    public static final int BUTTON_TEXT = 75;
    /** A button's {@code value} (block-elements#button). */
    public static final int BUTTON_VALUE = 2000;
    /** A button's or option's {@code url} (block-elements#button). */
    public static final int URL = 3000;
    /** A select's, text input's or date picker's {@code placeholder} (block-elements). */
    public static final int PLACEHOLDER = 150;
    /** Options in a select menu (block-elements#static_select). */
    public static final int SELECT_OPTIONS = 100;
    /** Options in a checkboxes or radio buttons element (block-elements#checkboxes, #radio). */
    public static final int CHOICE_OPTIONS = 10;
    /** A plain-text input's {@code max_length} and {@code initial_value} (block-elements#input). */
    public static final int TEXT_INPUT = 3000;
    /** An option's {@code text} in a select or overflow menu (composition-objects#option). */
    public static final int OPTION_TEXT = 75;
    /** An option's {@code value} (composition-objects#option). */
    public static final int OPTION_VALUE = 150;
    /** An option's {@code description} (composition-objects#option). */
    public static final int OPTION_DESCRIPTION = 75;
    /** A confirmation dialog's {@code title} (composition-objects#confirm). */
    public static final int CONFIRM_TITLE = 100;
    /** A confirmation dialog's {@code text} (composition-objects#confirm). */
    public static final int CONFIRM_TEXT = 300;
    /** A confirmation dialog's {@code confirm} and {@code deny} (composition-objects#confirm). */
    public static final int CONFIRM_BUTTON = 30;
    /** A modal's {@code title}, {@code submit} and {@code close} (views/modal-views). */
    public static final int VIEW_TITLE = 24;
    /** A view's {@code private_metadata} (views/modal-views). */
    public static final int PRIVATE_METADATA = 3000;
    /** A view's {@code callback_id} (views/modal-views). */
    public static final int CALLBACK_ID = 255;
    /** A message's top-level {@code text}: Slack advises cutting past this (methods/chat.postMessage). */
    public static final int MESSAGE_TEXT = 4000;

    static final String ELLIPSIS = "…";
    /** How far back a cut looks for a space, so it ends between words. */
    private static final int WORD_SLACK = 20;
    /** The longest entity Slack's escaping produces ({@code &amp;}). */
    private static final int LONGEST_ENTITY = 5;

    private BlockKit() {}

    /**
     * Escapes what a person or system wrote, then cuts it to {@code max}: the result is safe mrkdwn that fits, and
     * a cut never splits an entity such as {@code &amp;}.
     */
    public static String escaped(String raw, int max) {
        return cut(SlackText.escape(raw), max);
    }

    /**
     * Cuts mrkdwn that is already escaped (and may hold links, mentions and dates) to {@code max} characters, ending
     * in "…" when anything was left out. A cut never lands inside an entity ({@code &amp;}), a {@code <…>} link,
     * mention or date, or a surrogate pair, and ends between words where one ends near the limit.
     */
    public static String cut(String mrkdwn, int max) {
        if (mrkdwn.length() <= max) {
            return mrkdwn;
        }
        int end = Math.max(0, max - ELLIPSIS.length());
        int space = mrkdwn.lastIndexOf(' ', end);
        if (space > end - WORD_SLACK && space > 0) {
            end = space;
        }
        end = outsideMarkup(mrkdwn, end);
        if (end > 0 && Character.isHighSurrogate(mrkdwn.charAt(end - 1))) {
            end--;
        }
        return mrkdwn.substring(0, end).stripTrailing() + ELLIPSIS;
    }

    /**
     * Like {@link #cut}, but when text is left out it ends with {@code pointer} (for example "full text:
     * `/incident show INC-3`"), so a reader knows where the rest can be read. The pointer itself is never cut.
     */
    public static String cut(String mrkdwn, int max, String pointer) {
        if (mrkdwn.length() <= max) {
            return mrkdwn;
        }
        String tail = " (" + pointer + ")";
        return cut(mrkdwn, Math.max(ELLIPSIS.length(), max - tail.length())) + tail;
    }

    /** Plain text (which Slack shows as typed, so it needs no escaping) cut to {@code max}, ending in "…". */
    public static String plain(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Math.max(0, max - ELLIPSIS.length());
        int space = text.lastIndexOf(' ', end);
        if (space > end - WORD_SLACK && space > 0) {
            end = space;
        }
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + ELLIPSIS;
    }

    /** Moves {@code end} back to the start of an entity or {@code <…>} it would otherwise split. */
    private static int outsideMarkup(String text, int end) {
        int open = text.lastIndexOf('<', end - 1);
        if (open >= 0) {
            int close = text.indexOf('>', open);
            if (close < 0 || close >= end) {
                end = open;
            }
        }
        int amp = text.lastIndexOf('&', end - 1);
        if (amp >= 0 && amp >= end - LONGEST_ENTITY) {
            int semi = text.indexOf(';', amp);
            if (semi < 0 || semi >= end) {
                end = amp;
            }
        }
        return end;
    }

    /**
     * {@code head}, then as many of {@code lines} (each already escaped mrkdwn) as fit whole in {@code max} characters,
     * then, when any were left out, {@code rest} of how many: a list that grows with data shows what fits and counts
     * the rest, and never ends in a line cut in half.
     */
    public static String lines(String head, List<String> lines, int max, java.util.function.IntFunction<String> rest) {
        StringBuilder out = new StringBuilder(head);
        int room = max - rest.apply(lines.size()).length() - 1;
        int shown = 0;
        for (String line : lines) {
            if (out.length() + line.length() + 1 > room) {
                break;
            }
            out.append(line).append('\n');
            shown++;
        }
        if (shown < lines.size()) {
            out.append(rest.apply(lines.size() - shown));
        }
        return cut(out.toString().stripTrailing(), max);
    }

    /**
     * Splits groups of blocks (one incident, one tool call, …) over as many messages as it takes, each within
     * {@code perMessage} blocks once {@code reserved} of them (a header, a button) are added; a group is never split
     * and never dropped. A group larger than a whole message gets a message of its own, cut to fit.
     */
    public static List<List<LayoutBlock>> pages(List<List<LayoutBlock>> groups, int perMessage, int reserved) {
        int room = Math.max(1, perMessage - reserved);
        List<List<LayoutBlock>> pages = new ArrayList<>();
        List<LayoutBlock> page = new ArrayList<>();
        for (List<LayoutBlock> group : groups) {
            if (!page.isEmpty() && page.size() + group.size() > room) {
                pages.add(page);
                page = new ArrayList<>();
            }
            page.addAll(group.size() > room ? group.subList(0, room) : group);
        }
        if (!page.isEmpty() || pages.isEmpty()) {
            pages.add(page);
        }
        return pages;
    }
}
