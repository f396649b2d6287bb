package io.firebreak.bot.evidence;

import io.firebreak.bot.platform.config.EvidenceSettings;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.storage.evidence.TraceSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Langfuse with HTTP Basic auth (public key : secret key): {@code GET /api/public/traces/{id}}, and where that v1
 * endpoint is gone (404, 405, 410) the v2 observations API, {@code GET /api/public/v2/observations?traceId=…},
 * page by page.
 */
public final class LangfuseClient implements SourceClient {
    /** Every v2 field group that evidence is read from. */
    static final String V2_FIELDS = "core,basic,time,io,metadata,model,usage,prompt,metrics,trace_context";

    static final int V2_PAGE_SIZE = 1000;
    static final int MAX_PAGES = 50;

    private final OutboundHttp http;
    private final String base;
    private final Map<String, String> headers;
    private final Set<String> secrets;

    public LangfuseClient(OutboundHttp http, EvidenceSettings.Langfuse settings) {
        this.http = http;
        this.base = SourceClient.trimmed(settings.host().toString());
        String basic = Base64.getEncoder()
                .encodeToString((settings.publicKey().value() + ":"
                                + settings.secretKey().value())
                        .getBytes(StandardCharsets.UTF_8));
        this.headers = Map.of("Authorization", "Basic " + basic, "Accept", "application/json");
        this.secrets = Set.of(settings.publicKey().value(), settings.secretKey().value(), basic);
    }

    @Override
    public TraceSource source() {
        return TraceSource.LANGFUSE;
    }

    @Override
    public FetchResult fetch(String runId, long maxBytes) {
        List<Exchange> exchanges = new ArrayList<>();
        Exchange v1 = get(base + "/api/public/traces/" + SourceClient.encode(runId), maxBytes);
        exchanges.add(v1);
        if (v1.succeeded()) {
            return new FetchResult.Fetched(
                    List.of(new FetchResult.Response(LangfuseReader.TRACE, v1)), exchanges, List.of());
        }
        boolean v1Gone =
                v1.status().filter(s -> s == 404 || s == 405 || s == 410).isPresent();
        return v1Gone
                ? observations(runId, maxBytes, v1, exchanges)
                : FetchResult.failed(v1, exchanges, source(), runId);
    }

    /** The run through the v2 observations API, following its cursor while the size limit allows. */
    private FetchResult observations(String runId, long maxBytes, Exchange v1, List<Exchange> exchanges) {
        List<FetchResult.Response> pages = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add("read through Langfuse's v2 observations API: the v1 trace endpoint answered "
                + v1.status().orElse(0));
        long left = maxBytes;
        Optional<String> cursor = Optional.empty();
        for (int page = 1; page <= MAX_PAGES; page++) {
            String url = base + "/api/public/v2/observations?traceId=" + SourceClient.encode(runId) + "&fields="
                    + V2_FIELDS + "&limit=" + V2_PAGE_SIZE
                    + cursor.map(c -> "&cursor=" + SourceClient.encode(c)).orElse("");
            Exchange exchange = get(url, left);
            exchanges.add(exchange);
            if (!exchange.succeeded()) {
                // v2 answers 404 where it is not enabled: the run is then not in Langfuse at all.
                return FetchResult.failed(
                        exchange.failure() == Exchange.Failure.NOT_FOUND ? v1 : exchange, exchanges, source(), runId);
            }
            TolerantJson.Result read = TolerantJson.read(exchange.body(), exchange.truncated());
            boolean empty = read.roots().stream().allMatch(r -> r.path("data").isEmpty());
            if (page == 1 && empty && read.status() == io.firebreak.storage.evidence.ParseStatus.PARSED) {
                return FetchResult.failed(v1, exchanges, source(), runId);
            }
            pages.add(new FetchResult.Response(LangfuseReader.OBSERVATIONS, exchange));
            left -= exchange.body().length;
            cursor = read.roots().stream()
                    .map(r -> r.path("meta").path("cursor"))
                    .filter(JsonValues::has)
                    .map(c -> c.asText())
                    .findFirst();
            if (cursor.isEmpty()) {
                break;
            }
            if (exchange.truncated() || left <= 0) {
                notes.add("more observation pages were not fetched: the size limit was reached");
                break;
            }
            if (page == MAX_PAGES) {
                notes.add(
                        "more observation pages were not fetched: " + MAX_PAGES + " pages is the most read per fetch");
            }
        }
        return new FetchResult.Fetched(pages, exchanges, notes);
    }

    private Exchange get(String url, long maxBytes) {
        return http.send(OutboundRequest.get(URI.create(url), headers, secrets), Math.max(0, maxBytes));
    }
}
