package io.firebreak.bot.platform.config;

import io.firebreak.storage.evidence.TraceSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tracing backends run evidence is fetched from, each with its own credentials, and the limits of a fetch.
 *
 * @param maxTraceBytes the most bytes stored per fetch; a longer trace is stored up to it and marked truncated
 * @param fetchAttempts attempts per fetch while the backend is down, slow or rate limiting, before giving up
 * @param fetchTimeout  how long one request to a backend may take
 * @param maxSnapshotsPerRun      the most snapshots kept of one run; a fetch beyond it is refused
 * @param maxSnapshotsPerIncident the most snapshots kept of all of an incident's runs together
 */
public record EvidenceSettings(
        Optional<Langfuse> langfuse,
        Optional<LangSmith> langsmith,
        Optional<Otel> otel,
        long maxTraceBytes,
        int fetchAttempts,
        Duration fetchTimeout,
        int maxSnapshotsPerRun,
        int maxSnapshotsPerIncident) {

    public static final int DEFAULT_MAX_SNAPSHOTS_PER_RUN = 10;
    public static final int DEFAULT_MAX_SNAPSHOTS_PER_INCIDENT = 100;

    public static final long DEFAULT_MAX_TRACE_BYTES = 20L * 1024 * 1024;
    public static final String LANGFUSE_CLOUD = "https://cloud.langfuse.com";
    public static final String LANGSMITH_CLOUD = "https://api.smith.langchain.com";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kb|k|mb|m|gb|g)?", Pattern.CASE_INSENSITIVE);

    /** Langfuse, with HTTP Basic auth: the public key as user name, the secret key as password. */
    public record Langfuse(URI host, Secret publicKey, Secret secretKey) {}

    /** LangSmith, with the {@code X-API-Key} header. */
    public record LangSmith(URI apiUrl, Secret apiKey) {}

    /**
     * Jaeger or Grafana Tempo.
     *
     * @param tracesUrl the trace-by-ID endpoint; the trace ID replaces {@code {traceId}}, or is appended as a path segment
     * @param headers   sent with every request (tenant, proxy credentials); their values are treated as secrets
     */
    public record Otel(String tracesUrl, Map<String, Secret> headers) {}

    /** No backend configured, default limits. */
    public static EvidenceSettings none() {
        return new EvidenceSettings(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_MAX_TRACE_BYTES,
                6,
                Duration.ofSeconds(60),
                DEFAULT_MAX_SNAPSHOTS_PER_RUN,
                DEFAULT_MAX_SNAPSHOTS_PER_INCIDENT);
    }

    /** These settings with other snapshot limits. */
    public EvidenceSettings withSnapshotLimits(int perRun, int perIncident) {
        return new EvidenceSettings(
                langfuse, langsmith, otel, maxTraceBytes, fetchAttempts, fetchTimeout, perRun, perIncident);
    }

    /** The configured backends, in the order Langfuse, LangSmith, OpenTelemetry. */
    public List<TraceSource> configured() {
        List<TraceSource> sources = new ArrayList<>();
        langfuse.ifPresent(l -> sources.add(TraceSource.LANGFUSE));
        langsmith.ifPresent(l -> sources.add(TraceSource.LANGSMITH));
        otel.ifPresent(o -> sources.add(TraceSource.OTEL));
        return sources;
    }

    /** The source used when none is named: the only configured one. */
    public Optional<TraceSource> defaultSource() {
        List<TraceSource> sources = configured();
        return sources.size() == 1 ? Optional.of(sources.get(0)) : Optional.empty();
    }

    /** The variables that configure {@code source}, for messages that say what to set or check. */
    public static String variables(TraceSource source) {
        return switch (source) {
            case LANGFUSE -> "LANGFUSE_HOST, LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY";
            case LANGSMITH -> "LANGSMITH_API_URL and LANGSMITH_API_KEY";
            case OTEL -> "OTEL_TRACES_URL (and OTEL_TRACES_HEADERS)";
        };
    }

    /**
     * Reads the evidence settings with {@code get} (a trimmed, non-empty variable or empty), adding one line per
     * problem to {@code problems}, naming the variable and never its value.
     */
    static EvidenceSettings read(Function<String, Optional<String>> get, List<String> problems) {
        Optional<Langfuse> langfuse = langfuse(get, problems);
        Optional<LangSmith> langsmith = langsmith(get, problems);
        Optional<Otel> otel = otel(get, problems);
        long maxBytes = get.apply("FIREBREAK_EVIDENCE_MAX_BYTES")
                .map(value -> {
                    Optional<Long> size = size(value);
                    if (size.isEmpty() || size.get() < 1024 || size.get() > 1024L * 1024 * 1024) {
                        problems.add(
                                "FIREBREAK_EVIDENCE_MAX_BYTES must be a size from 1KB to 1GB, such as 20MB or 5000000 (bytes)");
                    }
                    return size.orElse(DEFAULT_MAX_TRACE_BYTES);
                })
                .orElse(DEFAULT_MAX_TRACE_BYTES);
        int attempts = positive(get, problems, "FIREBREAK_EVIDENCE_FETCH_ATTEMPTS", 6, 50);
        int timeout = positive(get, problems, "FIREBREAK_EVIDENCE_TIMEOUT_SECONDS", 60, 600);
        int perRun = positive(
                get, problems, "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_RUN", DEFAULT_MAX_SNAPSHOTS_PER_RUN, 10_000);
        int perIncident = positive(
                get,
                problems,
                "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT",
                DEFAULT_MAX_SNAPSHOTS_PER_INCIDENT,
                100_000);
        return new EvidenceSettings(
                langfuse, langsmith, otel, maxBytes, attempts, Duration.ofSeconds(timeout), perRun, perIncident);
    }

    private static Optional<Langfuse> langfuse(Function<String, Optional<String>> get, List<String> problems) {
        Optional<String> host = get.apply("LANGFUSE_HOST");
        Optional<String> publicKey = get.apply("LANGFUSE_PUBLIC_KEY");
        Optional<String> secretKey = get.apply("LANGFUSE_SECRET_KEY");
        if (host.isEmpty() && publicKey.isEmpty() && secretKey.isEmpty()) {
            return Optional.empty();
        }
        if (publicKey.isEmpty() || secretKey.isEmpty()) {
            problems.add("LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY must both be set to read traces from Langfuse "
                    + "(from the project's API keys in Langfuse settings)");
            return Optional.empty();
        }
        Optional<URI> url = url(
                host.orElse(LANGFUSE_CLOUD),
                "LANGFUSE_HOST",
                "such as https://cloud.langfuse.com, https://us.cloud.langfuse.com or your self-hosted Langfuse",
                problems);
        return url.map(u -> new Langfuse(u, new Secret(publicKey.get()), new Secret(secretKey.get())));
    }

    private static Optional<LangSmith> langsmith(Function<String, Optional<String>> get, List<String> problems) {
        Optional<String> apiUrl = get.apply("LANGSMITH_API_URL");
        Optional<String> apiKey = get.apply("LANGSMITH_API_KEY");
        if (apiUrl.isEmpty() && apiKey.isEmpty()) {
            return Optional.empty();
        }
        if (apiKey.isEmpty()) {
            problems.add(
                    "LANGSMITH_API_KEY must be set to read runs from LangSmith (an API key from LangSmith settings)");
            return Optional.empty();
        }
        Optional<URI> url = url(
                apiUrl.orElse(LANGSMITH_CLOUD),
                "LANGSMITH_API_URL",
                "such as https://api.smith.langchain.com or https://<your host>/api/v1",
                problems);
        return url.map(u -> new LangSmith(u, new Secret(apiKey.get())));
    }

    private static Optional<Otel> otel(Function<String, Optional<String>> get, List<String> problems) {
        Optional<String> tracesUrl = get.apply("OTEL_TRACES_URL");
        Optional<String> headers = get.apply("OTEL_TRACES_HEADERS");
        if (tracesUrl.isEmpty()) {
            if (headers.isPresent()) {
                problems.add(
                        "OTEL_TRACES_HEADERS is set but OTEL_TRACES_URL is not: set OTEL_TRACES_URL to the trace-by-ID "
                                + "endpoint of Jaeger or Tempo, such as http://jaeger:16686/api/v3/traces");
            }
            return Optional.empty();
        }
        Optional<URI> url = url(
                tracesUrl.get().replace("{traceId}", "trace-id"),
                "OTEL_TRACES_URL",
                "such as http://jaeger:16686/api/v3/traces or http://tempo:3200/api/v2/traces",
                problems);
        Map<String, Secret> parsed = new LinkedHashMap<>();
        if (headers.isPresent()) {
            for (String pair : headers.get().split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? "" : pair.substring(0, eq).trim();
                String value =
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8);
                if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value.isBlank()) {
                    problems.add("OTEL_TRACES_HEADERS must be name=value pairs separated by commas, such as "
                            + "X-Scope-OrgID=tenant1,Authorization=Bearer%20token (values may be percent-encoded)");
                    return Optional.empty();
                }
                parsed.put(name, new Secret(value));
            }
        }
        return url.map(u -> new Otel(tracesUrl.get(), parsed));
    }

    private static Optional<URI> url(String value, String name, String example, List<String> problems) {
        try {
            return Optional.of(ConfigLoader.httpUrl(value));
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http:// or https:// URL, " + example);
            return Optional.empty();
        }
    }

    private static int positive(
            Function<String, Optional<String>> get, List<String> problems, String name, int fallback, int max) {
        return get.apply(name)
                .map(value -> {
                    try {
                        int n = Integer.parseInt(value);
                        if (n >= 1 && n <= max) {
                            return n;
                        }
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                    problems.add(name + " must be a whole number from 1 to " + max);
                    return fallback;
                })
                .orElse(fallback);
    }

    /** Parses {@code 20MB}, {@code 512k} or {@code 5000000} (bytes); units are powers of 1024. */
    static Optional<Long> size(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return n > Long.MAX_VALUE / factor ? Optional.empty() : Optional.of(n * factor);
    }
}
