package io.firebreak.bot.platform.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What protects the bot from slow clients, floods and strangers.
 *
 * @param minRequestBytesPerSecond {@code FIREBREAK_MIN_REQUEST_RATE}: a request body arriving slower than this, after
 *                                 its first second, is cut off (408 and the connection closed)
 * @param userLimitPerMinute       {@code FIREBREAK_USER_LIMIT}: changes one Slack user may start per minute
 * @param workspaceLimitPerMinute  {@code FIREBREAK_WORKSPACE_LIMIT}: changes one Slack workspace may start per minute
 * @param metricsToken             {@code FIREBREAK_METRICS_TOKEN}: when set, {@code /metrics} asks for it as a bearer
 *                                 token; empty leaves {@code /metrics} open
 */
public record HardeningSettings(
        long minRequestBytesPerSecond,
        int userLimitPerMinute,
        int workspaceLimitPerMinute,
        Optional<Secret> metricsToken) {

    /** Slack and report forms send their whole body in one packet; 1 KiB/s is far below any honest client. */
    public static final long DEFAULT_MIN_REQUEST_RATE = 1024;

    public static final int DEFAULT_USER_LIMIT = 30;
    public static final int DEFAULT_WORKSPACE_LIMIT = 600;

    /** The defaults, with {@code /metrics} open. */
    public static HardeningSettings defaults() {
        return new HardeningSettings(
                DEFAULT_MIN_REQUEST_RATE, DEFAULT_USER_LIMIT, DEFAULT_WORKSPACE_LIMIT, Optional.empty());
    }

    /** Reads the variables above through {@code get}, adding one line per problem to {@code problems}. */
    static HardeningSettings read(Function<String, Optional<String>> get, List<String> problems) {
        long rate = number(
                get,
                problems,
                "FIREBREAK_MIN_REQUEST_RATE",
                DEFAULT_MIN_REQUEST_RATE,
                1,
                "must be a whole number of bytes per second, at least 1");
        int user = (int) number(
                get,
                problems,
                "FIREBREAK_USER_LIMIT",
                DEFAULT_USER_LIMIT,
                1,
                "must be a whole number of changes per user per minute, at least 1");
        int workspace = (int) number(
                get,
                problems,
                "FIREBREAK_WORKSPACE_LIMIT",
                DEFAULT_WORKSPACE_LIMIT,
                1,
                "must be a whole number of changes per workspace per minute, at least 1");
        Optional<Secret> token = get.apply("FIREBREAK_METRICS_TOKEN").flatMap(value -> {
            if (value.length() < 16) {
                problems.add("FIREBREAK_METRICS_TOKEN must be at least 16 characters long");
                return Optional.empty();
            }
            return Optional.of(new Secret(value));
        });
        return new HardeningSettings(rate, user, workspace, token);
    }

    private static long number(
            Function<String, Optional<String>> get,
            List<String> problems,
            String name,
            long fallback,
            long min,
            String problem) {
        Optional<String> value = get.apply(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.get());
            if (n >= min && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below, without the value.
        }
        problems.add(name + " " + problem);
        return fallback;
    }
}
