package io.firebreak.bot.platform.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to one outbound request: the answer, or why there was none, and how long it took.
 *
 * @param status     HTTP status, empty when no answer came (timeout, refused, reset)
 * @param body       the response body, up to the size limit asked for
 * @param truncated  true when the body was longer than the limit
 * @param failure    the kind of failure, {@link Failure#NONE} for a 2xx answer
 * @param retryAfter what the server asked for in {@code Retry-After}
 */
public record Exchange(
        OutboundRequest request,
        Instant startedAt,
        Duration elapsed,
        Optional<Integer> status,
        Map<String, String> responseHeaders,
        byte[] body,
        boolean truncated,
        Failure failure,
        Optional<Duration> retryAfter,
        Optional<String> error) {

    /** Why an exchange did not succeed. */
    public enum Failure {
        NONE,
        TIMEOUT,
        CONNECTION,
        SERVER_ERROR,
        RATE_LIMITED,
        UNAUTHORIZED,
        NOT_FOUND,
        CLIENT_ERROR;

        /** Timeouts, connection errors, 5xx and 429 may succeed if tried again; other 4xx will not. */
        public boolean retryable() {
            return this == TIMEOUT || this == CONNECTION || this == SERVER_ERROR || this == RATE_LIMITED;
        }
    }

    public boolean succeeded() {
        return failure == Failure.NONE;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * A sentence a responder understands, naming {@code target} (e.g. "the agent control API"):
     * "credentials rejected by the agent control API (401)".
     */
    public String describe(String target) {
        String code = status.map(s -> " (" + s + ")").orElse("");
        return switch (failure) {
            case NONE -> "accepted by " + target + code;
            case TIMEOUT -> target + " did not answer in time";
            case CONNECTION ->
                target + " could not be reached"
                        + error.map(e -> " (" + e + ")").orElse("");
            case SERVER_ERROR -> target + " failed" + code;
            case RATE_LIMITED ->
                target + " is rate limiting us" + code
                        + retryAfter
                                .map(d -> ", retry after " + d.toSeconds() + " s")
                                .orElse("");
            case UNAUTHORIZED -> "credentials rejected by " + target + code;
            case NOT_FOUND -> "not found at " + target + code;
            case CLIENT_ERROR -> "request refused by " + target + code;
        };
    }

    /**
     * The exchange for the timeline: method, URL, status, headers without secrets, bodies up to
     * {@code bodyLimit} characters with secrets removed, and timings.
     */
    public ObjectNode toJson(ObjectMapper mapper, int bodyLimit) {
        ObjectNode node = mapper.createObjectNode();
        ObjectNode req = node.putObject("request");
        req.put("method", request.method());
        req.put("url", Redactor.redact(request.uri().toString(), request.secrets()));
        req.set("headers", mapper.valueToTree(Redactor.headers(request.headers(), request.secrets())));
        request.body().ifPresent(b -> req.put("body", limit(Redactor.redact(b, request.secrets()), bodyLimit)));
        ObjectNode res = node.putObject("response");
        status.ifPresentOrElse(s -> res.put("status", s), () -> res.putNull("status"));
        res.set("headers", mapper.valueToTree(Redactor.headers(responseHeaders, request.secrets())));
        res.put("body", limit(Redactor.redact(bodyText(), request.secrets()), bodyLimit));
        res.put("truncated", truncated || body.length > bodyLimit);
        node.put("outcome", failure.name());
        error.ifPresent(e -> node.put("error", e));
        retryAfter.ifPresent(d -> node.put("retry_after_seconds", d.toSeconds()));
        node.put("started_at", startedAt.toString());
        node.put("elapsed_ms", elapsed.toMillis());
        return node;
    }

    private static String limit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
