package io.firebreak.bot.paging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Maps a PagerDuty user to a Slack user: first {@code PAGERDUTY_USER_MAP} (by PagerDuty user ID, then by e-mail), then
 * the Slack user with the same e-mail ({@code users.lookupByEmail}), kept an hour (a miss ten minutes).
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
    private final Function<String, Optional<String>> lookupByEmail;
    private final Clock clock;
    private final Map<String, Kept> lookups = new ConcurrentHashMap<>();

    /** @param lookupByEmail asks Slack for the user with an e-mail; empty when there is none or Slack cannot say */
    public PeopleDirectory(
            Map<String, String> configured, Function<String, Optional<String>> lookupByEmail, Clock clock) {
        this.configured = Map.copyOf(configured);
        this.lookupByEmail = lookupByEmail;
        this.clock = clock;
    }

    /** The Slack user of PagerDuty user {@code userId} with {@code email}, and how it was found. */
    public Optional<Mapped> find(String userId, Optional<String> email) {
        Optional<String> mapped = Optional.ofNullable(configured.get(userId.toLowerCase(Locale.ROOT)))
                .or(() -> email.map(e -> configured.get(e.toLowerCase(Locale.ROOT))));
        if (mapped.isPresent()) {
            return Optional.of(new Mapped(mapped.get(), Via.CONFIGURED_MAP));
        }
        if (email.isEmpty()) {
            return Optional.empty();
        }
        String key = email.get().toLowerCase(Locale.ROOT);
        Kept kept = lookups.get(key);
        if (kept == null || !clock.instant().isBefore(kept.until())) {
            Optional<String> found = lookupByEmail.apply(email.get());
            kept = new Kept(found, clock.instant().plus(found.isPresent() ? KEEP : KEEP_MISS));
            lookups.put(key, kept);
        }
        return kept.user().map(u -> new Mapped(u, Via.SLACK_EMAIL_LOOKUP));
    }

    @Override
    public Optional<String> slackUser(String pagerDutyUserId, Optional<String> email) {
        return find(pagerDutyUserId, email).map(Mapped::slackUser);
    }
}
