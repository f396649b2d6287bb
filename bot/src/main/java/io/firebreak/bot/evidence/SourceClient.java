package io.firebreak.bot.evidence;

import io.firebreak.storage.evidence.TraceSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Fetches a run's trace from one backend, with that backend's own authentication and API. */
public interface SourceClient {

    TraceSource source();

    /**
     * Asks the backend for {@code runId}, reading at most {@code maxBytes} of response bodies in all. Never throws
     * for network or HTTP failures: they come back as {@link FetchResult.Failed}.
     */
    FetchResult fetch(String runId, long maxBytes);

    /** {@code value} encoded for one URL path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code base} without trailing slashes, for appending paths. */
    static String trimmed(String base) {
        String b = base;
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }
}
