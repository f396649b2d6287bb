package io.firebreak.bot.incident.slack;

import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.storage.incident.Incident;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responders from {@code FIREBREAK_RESPONDERS}: Slack user IDs, and user groups whose members are read with
 * {@code usergroups.users.list} and kept for a few minutes. When Slack cannot be asked, the last known members
 * count; a group never read counts as nobody, so a Slack outage never lets everyone in. An empty list means nobody:
 * authorization fails closed. A group is read as the workspace the question is about (the Slack request's, or the
 * incident's), with that workspace's token, and its members are kept per workspace: with several workspaces a user
 * group ID names a group of one workspace only.
 */
public final class SlackResponders implements Responders {
    private static final Logger log = LoggerFactory.getLogger(SlackResponders.class);
    private static final Duration GROUP_TTL = Duration.ofMinutes(5);

    private final Set<String> users;
    private final List<String> groups;
    private final SlackWebApi slack;
    private final Clock clock;
    private final Map<String, Members> members = new ConcurrentHashMap<>();
    private final AtomicBoolean unboundLogged = new AtomicBoolean();

    private record Members(Set<String> users, Instant readAt) {}

    public SlackResponders(List<String> ids, SlackWebApi slack, Clock clock) {
        this.users = Set.copyOf(ids.stream().filter(id -> !id.startsWith("S")).toList());
        this.groups = List.copyOf(ids.stream().filter(id -> id.startsWith("S")).toList());
        this.slack = slack;
        this.clock = clock;
    }

    @Override
    public boolean isResponder(String userId) {
        return isResponder(userId, slack);
    }

    @Override
    public boolean isResponder(String userId, Workspace workspace) {
        return isResponder(userId, slack.forWorkspace(workspace));
    }

    @Override
    public boolean isResponder(String userId, Incident incident) {
        return isResponder(userId, slack.forIncident(incident));
    }

    private boolean isResponder(String userId, SlackWebApi as) {
        if (users.contains(userId)) {
            return true;
        }
        if (groups.isEmpty()) {
            return false;
        }
        if (!as.configured() && as.workspace().teamId().isBlank()) {
            // With several workspaces a question with no workspace has no token to read groups with: say so once,
            // loudly, rather than letting every group count as nobody without a word.
            if (unboundLogged.compareAndSet(false, true)) {
                log.warn(
                        "responder groups {} cannot be read for a check with no workspace (several workspaces are served); "
                                + "members of these groups count as responders only on requests and incidents of a workspace",
                        groups);
            }
            return false;
        }
        return groups.stream().anyMatch(group -> members(group, as).contains(userId));
    }

    private Set<String> members(String group, SlackWebApi slack) {
        String key = slack.answersKey() + "/" + group;
        Members known = members.get(key);
        if (known != null && known.readAt().plus(GROUP_TTL).isAfter(clock.instant())) {
            return known.users();
        }
        SlackWebApi.Result<com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse> read =
                slack.call("usergroups.users.list", m -> m.usergroupsUsersList(r -> r.usergroup(group)));
        if (read.ok()) {
            Set<String> fresh = Set.copyOf(read.response().get().getUsers());
            members.put(key, new Members(fresh, clock.instant()));
            return fresh;
        }
        if (read.error().filter(SlackWebApi.REHEARSAL::equals).isPresent()) {
            // The warm-up before ready asks nothing of Slack: the group counts as last read, and nothing is kept.
            return known == null ? Set.of() : known.users();
        }
        log.warn(
                "could not read the members of responder group {} of workspace {} ({}); using {}",
                group,
                slack.workspace().teamId().isEmpty()
                        ? "(none)"
                        : slack.workspace().teamId(),
                read.error().orElse("?"),
                known == null ? "nobody" : "the members read at " + known.readAt());
        return known == null ? Set.of() : known.users();
    }
}
