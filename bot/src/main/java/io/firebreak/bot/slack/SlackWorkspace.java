package io.firebreak.bot.slack;

import com.slack.api.bolt.request.Request;
import io.firebreak.bot.access.Workspace;
import java.util.Optional;

/**
 * The workspace a Slack request comes from, read where Bolt reads it for the installation it answers with (the
 * request context's {@code team_id} and {@code enterprise_id}), for HTTP and Socket Mode alike: that workspace owns
 * every incident the request reads or makes. In a Slack Connect channel the person may belong to another workspace
 * ({@code user.team_id}); the policy decides on that separately, the record still belongs to the receiving one.
 */
public final class SlackWorkspace {
    private SlackWorkspace() {}

    /** The workspace of {@code req}; a blank team id when the request carries none (it then sees no incident). */
    public static Workspace of(Request<?> req) {
        return of(req.getContext().getTeamId(), req.getContext().getEnterpriseId());
    }

    /** The workspace of a payload's {@code team_id} and {@code enterprise_id} (either may be missing). */
    public static Workspace of(String teamId, String enterpriseId) {
        return new Workspace(teamId == null ? "" : teamId, Optional.ofNullable(enterpriseId));
    }
}
