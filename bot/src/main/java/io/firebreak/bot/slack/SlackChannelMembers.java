package io.firebreak.bot.slack;

import com.slack.api.methods.response.conversations.ConversationsMembersResponse;
import io.firebreak.bot.access.ChannelMembership;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel membership read from Slack's {@code conversations.members}, every page, and kept for a short while so a
 * list of private incidents asks once per channel rather than once per line. When Slack cannot be asked the answer
 * is "not a member" and nothing is kept: a private incident is then hidden, never shown by mistake.
 */
public final class SlackChannelMembers implements ChannelMembership {
    private static final Logger log = LoggerFactory.getLogger(SlackChannelMembers.class);
    /** Short: someone removed from the channel stops seeing the incident within this. */
    static final Duration TTL = Duration.ofSeconds(30);

    private static final int MAX_PAGES = 50;

    private final SlackWebApi slack;
    private final Clock clock;
    private final Map<String, Members> cache = new ConcurrentHashMap<>();

    private record Members(Set<String> users, Instant readAt) {}

    public SlackChannelMembers(SlackWebApi slack, Clock clock) {
        this.slack = slack;
        this.clock = clock;
    }

    @Override
    public boolean isMember(String channelId, String userId) {
        return isMember(slack.workspace(), channelId, userId);
    }

    @Override
    public boolean isMember(io.firebreak.bot.access.Workspace workspace, String channelId, String userId) {
        Instant now = clock.instant();
        Members known = cache.get(channelId);
        if (known == null || known.readAt().plus(TTL).isBefore(now)) {
            Optional<Set<String>> read = read(slack.forWorkspace(workspace), channelId);
            if (read.isEmpty()) {
                cache.remove(channelId);
                return false;
            }
            known = new Members(read.get(), now);
            cache.put(channelId, known);
        }
        return known.users().contains(userId);
    }

    private Optional<Set<String>> read(SlackWebApi slack, String channelId) {
        if (!slack.configured()) {
            return Optional.empty();
        }
        Set<String> users = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String from = cursor;
            SlackWebApi.Result<ConversationsMembersResponse> answer = slack.call(
                    "conversations.members",
                    m -> m.conversationsMembers(
                            r -> r.channel(channelId).limit(1000).cursor(from)));
            if (!answer.ok()) {
                log.warn(
                        "could not read the members of {} ({}): its private incident is hidden",
                        channelId,
                        answer.error().orElse("unknown"));
                return Optional.empty();
            }
            ConversationsMembersResponse response = answer.response().get();
            if (response.getMembers() != null) {
                users.addAll(response.getMembers());
            }
            cursor = response.getResponseMetadata() == null
                    ? null
                    : response.getResponseMetadata().getNextCursor();
            if (cursor == null || cursor.isEmpty()) {
                return Optional.of(users);
            }
        }
        log.warn(
                "{} has more members than Firebreak reads: its private incident is hidden from those not read",
                channelId);
        return Optional.of(users);
    }
}
