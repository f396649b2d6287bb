package io.firebreak.bot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import io.firebreak.bot.access.Workspace;
import java.util.Optional;

/**
 * One use of the slash command, as the subcommands see it.
 *
 * @param command   the slash command as typed, e.g. {@code /incident}
 * @param userId    who typed it
 * @param channelId where
 * @param text      everything after the command, as Slack sent it (escaped); never null
 * @param workspace the workspace the command was typed in: every incident it reads or makes is that workspace's
 */
public record Invocation(
        String command,
        String userId,
        String userName,
        String channelId,
        String text,
        Optional<String> triggerId,
        Optional<String> responseUrl,
        Workspace workspace) {

    static Invocation from(SlashCommandPayload payload) {
        return new Invocation(
                payload.getCommand(),
                payload.getUserId(),
                payload.getUserName(),
                payload.getChannelId(),
                payload.getText() == null ? "" : payload.getText().trim(),
                Optional.ofNullable(payload.getTriggerId()),
                Optional.ofNullable(payload.getResponseUrl()),
                SlackWorkspace.of(payload.getTeamId(), payload.getEnterpriseId()));
    }
}
