package io.firebreak.bot.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/**
 * What the bot answers a slash command with, within Slack's 3 seconds, and what it does after answering.
 *
 * @param text      the message, or its fallback text when there are blocks
 * @param blocks    Block Kit blocks, may be empty
 * @param inChannel true to show the answer to the whole channel, false for the caller only
 * @param afterAck  slow work (Slack Web API calls) to run once the answer is sent
 */
public record Reply(String text, List<LayoutBlock> blocks, boolean inChannel, List<Runnable> afterAck) {

    /** An answer only the caller sees. */
    public static Reply ephemeral(String text) {
        return new Reply(text, List.of(), false, List.of());
    }

    /** A refusal: what was wrong, and the form that works. Nothing was written. */
    public static Reply error(String problem, String command, String usage) {
        return ephemeral(":warning: " + problem + "\nUsage: `" + command + " " + usage + "`");
    }

    public Reply withBlocks(List<LayoutBlock> newBlocks) {
        return new Reply(text, newBlocks, inChannel, afterAck);
    }

    public Reply then(Runnable work) {
        List<Runnable> all = new java.util.ArrayList<>(afterAck);
        all.add(work);
        return new Reply(text, blocks, inChannel, List.copyOf(all));
    }
}
