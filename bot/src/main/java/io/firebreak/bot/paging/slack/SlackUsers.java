package io.firebreak.bot.paging.slack;

import com.slack.api.methods.response.users.UsersLookupByEmailResponse;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.slack.SlackWebApi;
import java.util.Optional;

/** Slack users found by e-mail, for mapping PagerDuty's on-call people to Slack. */
public final class SlackUsers {
    private final SlackWebApi slack;

    public SlackUsers(SlackWebApi slack) {
        this.slack = slack;
    }

    /**
     * Slack's user with this e-mail in {@code workspace}, asked with that workspace's token ({@code users.lookupByEmail}, scope {@code users:read.email}); empty when there is
     * none ({@code users_not_found}) or Slack cannot say.
     */
    public Optional<String> lookupByEmail(String email, Workspace workspace) {
        SlackWebApi.Result<UsersLookupByEmailResponse> found = slack.forWorkspace(workspace)
                .call("users.lookupByEmail", m -> m.usersLookupByEmail(r -> r.email(email)));
        return found.response().map(UsersLookupByEmailResponse::getUser).map(u -> u.getId());
    }
}
