package io.firebreak.bot.evidence;

import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.evidence.TraceSource;
import java.util.List;

/** What came of asking a backend for a run: the responses to keep, or why there are none. */
public sealed interface FetchResult {

    /** Every request made, in order, for the timeline. */
    List<Exchange> exchanges();

    /**
     * The backend answered.
     *
     * @param responses the answers that make up the evidence, each with its role for the reader
     * @param notes     what a reader should know (an older API was used, the tree could not be loaded)
     */
    record Fetched(List<Response> responses, List<Exchange> exchanges, List<String> notes) implements FetchResult {}

    /**
     * The backend did not answer with the run.
     *
     * @param problem   what went wrong, in words a responder acts on
     * @param retryable true when trying again may succeed (down, slow, rate limiting)
     */
    record Failed(Exchange last, List<Exchange> exchanges, String problem, boolean retryable) implements FetchResult {}

    /** One answer kept as evidence. */
    record Response(String role, Exchange exchange) {}

    /**
     * The failure of {@code exchange} in words: "run X not found in Langfuse", which variables to check when the
     * credentials were rejected, or what the backend did.
     */
    static Failed failed(Exchange exchange, List<Exchange> all, TraceSource source, String runId) {
        String label = source.label();
        String problem = switch (exchange.failure()) {
            case NOT_FOUND -> "run " + runId + " not found in " + label;
            case UNAUTHORIZED ->
                label + " rejected the credentials ("
                        + exchange.status().map(String::valueOf).orElse("") + "): check " + credentials(source);
            case CLIENT_ERROR ->
                exchange.describe(label) + ": "
                        + TextLimits.cut(
                                Redactor.redact(
                                                exchange.bodyText(),
                                                exchange.request().secrets())
                                        .strip(),
                                200);
            default -> exchange.describe(label);
        };
        return new Failed(exchange, all, problem, exchange.failure().retryable());
    }

    /** The variables to check when {@code source} refuses the credentials. */
    static String credentials(TraceSource source) {
        return switch (source) {
            case LANGFUSE ->
                "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY (and that LANGFUSE_HOST is the region the keys belong to)";
            case LANGSMITH -> "LANGSMITH_API_KEY (and LANGSMITH_API_URL)";
            case OTEL -> "OTEL_TRACES_HEADERS (the credentials your Jaeger or Tempo proxy expects)";
        };
    }
}
