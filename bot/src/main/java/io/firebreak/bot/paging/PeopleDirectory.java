package io.firebreak.bot.paging;

import io.firebreak.bot.access.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Maps a PagerDuty user to a Slack user: first {@code PAGERDUTY_USER_MAP} (by PagerDuty user ID, then by e-mail), then
 * the Slack user with the same e-mail ({@code users.lookupByEmail}) in the workspace asked about (with its token: a
 * person has a user in each workspace), kept an hour (a miss ten minutes) per workspace.
 */
public final class PeopleDirectory implements OnCallReader.People {
    private static final Duration KEEP = Duration.ofHours(1);
    private static final Duration KEEP_MISS = Duration.ofMinutes(10);

    /** How a Slack user was found. */
    public enum Via {
        CONFIGURED_MAP,
        SLACK_EMAIL_LOOKUP
    }

    /** A Slack user and how they were found. */
    public record Mapped(String slackUser, Via via) {}

    private record Kept(Optional<String> user, Instant until) {}

    private final Map<String, String> configured;
    private final BiFunction<String, Workspace, Optional<String>> lookupByEmail;
    private final Clock clock;
    private final Map<String, Kept> lookups = new ConcurrentHashMap<>();

    /**
     * @param lookupByEmail asks Slack for the user with an e-mail in a workspace; empty when there is none or Slack
     *     cannot say
     */
    public PeopleDirectory(
            Map<String, String> configured,
            BiFunction<String, Workspace, Optional<String>> lookupByEmail,
            Clock clock) {
        this.configured = Map.copyOf(configured);
        this.lookupByEmail = lookupByEmail;
        this.clock = clock;
    }

    /** The Slack user in {@code workspace} of PagerDuty user {@code userId} with {@code email}, and how it was found. */
    public Optional<Mapped> find(String userId, Optional<String> email, Workspace workspace) {
        Optional<String> mapped = Optional.ofNullable(configured.get(userId.toLowerCase(Locale.ROOT)))
                .or(() -> email.map(e -> configured.get(e.toLowerCase(Locale.ROOT))));
        if (mapped.isPresent()) {
            return Optional.of(new Mapped(mapped.get(), Via.CONFIGURED_MAP));
        }
        if (email.isEmpty()) {
            return Optional.empty();
        }
        String key = workspace.teamId() + "/" + email.get().toLowerCase(Locale.ROOT);
        Kept kept = lookups.get(key);
        if (kept == null || !clock.instant().isBefore(kept.until())) {
            Optional<String> found = lookupByEmail.apply(email.get(), workspace);
            kept = new Kept(found, clock.instant().plus(found.isPresent() ? KEEP : KEEP_MISS));
            lookups.put(key, kept);
        }
        return kept.user().map(u -> new Mapped(u, Via.SLACK_EMAIL_LOOKUP));
    }

    @Override
    public Optional<String> slackUser(String pagerDutyUserId, Optional<String> email, Workspace workspace) {
        return find(pagerDutyUserId, email, workspace).map(Mapped::slackUser);
    }
}
