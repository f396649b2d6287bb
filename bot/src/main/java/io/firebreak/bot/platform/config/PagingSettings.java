package io.firebreak.bot.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Paging through PagerDuty: the services Firebreak may page (each with its Events API v2 routing key), the REST API
 * token and the schedules and escalation policies whose on-call it watches, and the webhook signing secrets.
 *
 * @param services           name → routing key, in the order configured; the first is paged when none is named
 * @param eventsUrl          base of the Events API ({@code /v2/enqueue} is appended)
 * @param apiUrl             base of the REST API ({@code /oncalls} is appended)
 * @param apiToken           REST API token, sent as {@code Authorization: Token token=…}
 * @param schedules          schedule IDs whose on-call is shown and watched for shift changes
 * @param escalationPolicies escalation policy IDs whose on-call is shown
 * @param webhookSecrets     v3 webhook signing secrets (several while one is rotated)
 * @param userMap            PagerDuty user ID or e-mail → Slack user ID, asked before Slack's users.lookupByEmail
 * @param attempts           calls to the Events API in all, while it is down, slow or rate limiting
 * @param backoff            first retry delay, doubling up to a minute
 * @param timeout            total time one call may take
 * @param onCallPoll         how often the schedules are read for shift changes
 * @param onCallCache        how long an on-call answer is shown before it is read again
 */
public record PagingSettings(
        Map<String, Secret> services,
        URI eventsUrl,
        URI apiUrl,
        Optional<Secret> apiToken,
        List<String> schedules,
        List<String> escalationPolicies,
        List<Secret> webhookSecrets,
        Map<String, String> userMap,
        int attempts,
        Duration backoff,
        Duration timeout,
        Duration onCallPoll,
        Duration onCallCache) {

    public static final String EVENTS_URL = "https://events.pagerduty.com";
    public static final String API_URL = "https://api.pagerduty.com";
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern ROUTING_KEY = Pattern.compile("[A-Za-z0-9]{20,64}");
    private static final Pattern PD_ID = Pattern.compile("P[A-Z0-9]{5,}");
    private static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,}");

    public PagingSettings {
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        schedules = List.copyOf(schedules);
        escalationPolicies = List.copyOf(escalationPolicies);
        webhookSecrets = List.copyOf(webhookSecrets);
        userMap = Map.copyOf(userMap);
    }

    /** Paging off: nothing configured, default limits. */
    public static PagingSettings none() {
        return new PagingSettings(
                Map.of(),
                URI.create(EVENTS_URL),
                URI.create(API_URL),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                6,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1));
    }

    /** True when at least one service can be paged. */
    public boolean pagingOn() {
        return !services.isEmpty();
    }

    /** True when the on-call can be read: a token and something to read. */
    public boolean onCallOn() {
        return apiToken.isPresent() && !(schedules.isEmpty() && escalationPolicies.isEmpty());
    }

    /** The variable that holds {@code service}'s routing key: {@code PAGERDUTY_ROUTING_KEY_<NAME>}. */
    public static String routingKeyVariable(String service) {
        return "PAGERDUTY_ROUTING_KEY_" + service.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Reads the paging settings with {@code get} (a trimmed, non-empty variable or empty), adding one line per problem
     * to {@code problems}, naming the variable and never its value.
     */
    static PagingSettings read(Function<String, Optional<String>> get, List<String> problems) {
        PagingSettings d = none();
        Map<String, Secret> services = new LinkedHashMap<>();
        for (String name : list(get, "PAGERDUTY_SERVICES")) {
            if (!SERVICE.matcher(name).matches()) {
                problems.add("PAGERDUTY_SERVICES must list service names of lower-case letters, digits and -"
                        + " (up to 40), separated by commas, such as agents,payments");
                continue;
            }
            String variable = routingKeyVariable(name);
            Optional<String> key = get.apply(variable);
            if (key.isEmpty()) {
                problems.add(variable + " must hold the routing key (Integration Key of an Events API v2 integration)"
                        + " of service " + name + " listed in PAGERDUTY_SERVICES");
            } else if (!ROUTING_KEY.matcher(key.get()).matches()) {
                problems.add(
                        variable
                                + " must be an Events API v2 Integration Key: 20 to 64 letters and digits (PagerDuty's are 32)");
            } else {
                services.put(name, new Secret(key.get()));
            }
        }
        URI eventsUrl = url(get, problems, "PAGERDUTY_EVENTS_URL", EVENTS_URL);
        URI apiUrl = url(get, problems, "PAGERDUTY_API_URL", API_URL);
        Optional<Secret> token = get.apply("PAGERDUTY_API_TOKEN").map(Secret::new);
        List<String> schedules = ids(get, problems, "PAGERDUTY_SCHEDULES", "schedule IDs such as PI7DH85");
        List<String> policies =
                ids(get, problems, "PAGERDUTY_ESCALATION_POLICIES", "escalation policy IDs such as PT20YPA");
        if (token.isEmpty() && !(schedules.isEmpty() && policies.isEmpty())) {
            problems.add("PAGERDUTY_API_TOKEN must be set (a read-only REST API key) to read the on-call of"
                    + " PAGERDUTY_SCHEDULES and PAGERDUTY_ESCALATION_POLICIES");
        }
        List<Secret> secrets = new ArrayList<>();
        for (String secret : list(get, "PAGERDUTY_WEBHOOK_SECRETS")) {
            if (secret.length() < 16) {
                problems.add("PAGERDUTY_WEBHOOK_SECRETS must hold webhook subscription secrets of at least 16"
                        + " characters, separated by commas");
            } else {
                secrets.add(new Secret(secret));
            }
        }
        Map<String, String> userMap = new LinkedHashMap<>();
        List<String> entries = list(get, "PAGERDUTY_USER_MAP");
        for (int i = 0; i < entries.size(); i++) {
            String[] parts = entries.get(i).split("=", 2);
            if (parts.length != 2
                    || parts[0].isBlank()
                    || !SLACK_USER.matcher(parts[1].strip()).matches()) {
                problems.add("PAGERDUTY_USER_MAP entry " + (i + 1) + " must be <PagerDuty user ID or e-mail>=<Slack"
                        + " user ID>, such as PT23IWX=U024BE7LH or tim@example.com=U024BE7LH");
                continue;
            }
            userMap.put(parts[0].strip().toLowerCase(Locale.ROOT), parts[1].strip());
        }
        int attempts = number(get, problems, "PAGERDUTY_ATTEMPTS", d.attempts(), 1, 20);
        Duration backoff = duration(get, problems, "PAGERDUTY_RETRY_BACKOFF", d.backoff());
        Duration timeout = duration(get, problems, "PAGERDUTY_TIMEOUT", d.timeout());
        Duration poll = duration(get, problems, "PAGERDUTY_ONCALL_POLL", d.onCallPoll());
        Duration cache = duration(get, problems, "PAGERDUTY_ONCALL_CACHE", d.onCallCache());
        return new PagingSettings(
                services, eventsUrl, apiUrl, token, schedules, policies, secrets, userMap, attempts, backoff, timeout,
                poll, cache);
    }

    private static List<String> list(Function<String, Optional<String>> get, String name) {
        return get.apply(name)
                .map(v -> java.util.Arrays.stream(v.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    private static List<String> ids(
            Function<String, Optional<String>> get, List<String> problems, String name, String what) {
        List<String> ids = list(get, name);
        if (ids.stream().anyMatch(id -> !PD_ID.matcher(id).matches())) {
            problems.add(name + " must list PagerDuty " + what + ", separated by commas");
            return List.of();
        }
        return ids;
    }

    private static URI url(Function<String, Optional<String>> get, List<String> problems, String name, String dflt) {
        String value = get.apply(name).orElse(dflt);
        try {
            URI uri = ConfigLoader.httpUrl(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            return uri;
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http:// or https:// URL, such as " + dflt);
            return URI.create(dflt);
        }
    }

    private static int number(
            Function<String, Optional<String>> get, List<String> problems, String name, int dflt, int min, int max) {
        Optional<String> value = get.apply(name);
        if (value.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max);
        return dflt;
    }

    private static Duration duration(
            Function<String, Optional<String>> get, List<String> problems, String name, Duration dflt) {
        Optional<String> value = get.apply(name);
        if (value.isEmpty()) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(value.get());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        problems.add(name + " must be a positive ISO-8601 duration such as " + dflt);
        return dflt;
    }
}
