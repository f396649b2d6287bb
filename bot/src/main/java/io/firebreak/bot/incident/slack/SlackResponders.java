package io.firebreak.bot.incident.slack;

import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.slack.SlackWebApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responders from {@code FIREBREAK_RESPONDERS}: Slack user IDs, and user groups whose members are read with
 * {@code usergroups.users.list} and kept for a few minutes. When Slack cannot be asked, the last known members
 * count; a group never read counts as nobody, so a Slack outage never lets everyone in. An empty list means nobody:
 * authorization fails closed.
 */
public final class SlackResponders implements Responders {
    private static final Logger log = LoggerFactory.getLogger(SlackResponders.class);
    private static final Duration GROUP_TTL = Duration.ofMinutes(5);

    private final Set<String> users;
    private final List<String> groups;
    private final SlackWebApi slack;
    private final Clock clock;
    private final Map<String, Members> members = new ConcurrentHashMap<>();

    private record Members(Set<String> users, Instant readAt) {}

    public SlackResponders(List<String> ids, SlackWebApi slack, Clock clock) {
        this.users = Set.copyOf(ids.stream().filter(id -> !id.startsWith("S")).toList());
        this.groups = List.copyOf(ids.stream().filter(id -> id.startsWith("S")).toList());
        this.slack = slack;
        this.clock = clock;
    }

    @Override
    public boolean isResponder(String userId) {
        return users.contains(userId)
                || groups.stream().anyMatch(group -> members(group).contains(userId));
    }

    private Set<String> members(String group) {
        Members known = members.get(group);
        if (known != null && known.readAt().plus(GROUP_TTL).isAfter(clock.instant())) {
            return known.users();
        }
        SlackWebApi.Result<com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse> read =
                slack.call("usergroups.users.list", m -> m.usergroupsUsersList(r -> r.usergroup(group)));
        if (read.ok()) {
            Set<String> fresh = Set.copyOf(read.response().get().getUsers());
            members.put(group, new Members(fresh, clock.instant()));
            return fresh;
        }
        if (read.error().filter(SlackWebApi.REHEARSAL::equals).isPresent()) {
            // The warm-up before ready asks nothing of Slack: the group counts as last read, and nothing is kept.
            return known == null ? Set.of() : known.users();
        }
        log.warn(
                "could not read the members of responder group {} ({}); using {}",
                group,
                read.error().orElse("?"),
                known == null ? "nobody" : "the members read at " + known.readAt());
        return known == null ? Set.of() : known.users();
    }
}
