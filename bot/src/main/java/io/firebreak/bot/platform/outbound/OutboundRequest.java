package io.firebreak.bot.platform.outbound;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One HTTP request to a system outside Firebreak (an agent control API, a tracing backend).
 *
 * @param secrets values that must never be recorded or shown (tokens, keys); redacted wherever they appear
 */
public record OutboundRequest(
        String method, URI uri, Map<String, String> headers, Optional<String> body, Set<String> secrets) {

    public OutboundRequest {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        secrets = Set.copyOf(secrets);
    }

    public static OutboundRequest get(URI uri, Map<String, String> headers, Set<String> secrets) {
        return new OutboundRequest("GET", uri, headers, Optional.empty(), secrets);
    }
}
