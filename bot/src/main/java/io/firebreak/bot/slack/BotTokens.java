package io.firebreak.bot.slack;

import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.platform.config.Secret;
import java.util.Optional;

/**
 * Where the bot token for a workspace comes from: the one {@code SLACK_BOT_TOKEN} in single-workspace mode, or the
 * workspace's stored installation when Firebreak is installed through OAuth.
 */
@FunctionalInterface
public interface BotTokens {

    /** The bot token to call Slack's Web API with for {@code workspace}; empty when it has none (not installed). */
    Optional<Secret> botToken(Workspace workspace);

    /** The single-workspace mode: the same token, if any, whatever the workspace. */
    static BotTokens single(Optional<Secret> token) {
        return workspace -> token;
    }
}
