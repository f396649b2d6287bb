package io.firebreak.bot.access;

/** Who is in a Slack channel, as far as seeing a private incident goes. */
public interface ChannelMembership {
    /**
     * True when {@code userId} is a member of {@code channelId}. False when they are not, and also when it cannot be
     * found out (Slack unreachable, the bot not in the channel): private incidents fail closed.
     */
    boolean isMember(String channelId, String userId);

    /** As {@link #isMember(String, String)}, asked of {@code workspace} (the channel's incident's). */
    default boolean isMember(Workspace workspace, String channelId, String userId) {
        return isMember(channelId, userId);
    }
}
