package io.firebreak.bot.evidence;

import io.firebreak.bot.platform.config.EvidenceSettings;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.storage.evidence.TraceSource;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jaeger or Grafana Tempo: {@code GET} the trace-by-ID endpoint in {@code OTEL_TRACES_URL} (the trace ID replaces
 * {@code {traceId}}, or is appended), with the headers of {@code OTEL_TRACES_HEADERS}, asking for JSON.
 */
public final class OtelTracesClient implements SourceClient {
    private final OutboundHttp http;
    private final String tracesUrl;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Set<String> secrets = new HashSet<>();

    public OtelTracesClient(OutboundHttp http, EvidenceSettings.Otel settings) {
        this.http = http;
        this.tracesUrl = settings.tracesUrl();
        headers.put("Accept", "application/json");
        settings.headers().forEach((name, value) -> {
            headers.put(name, value.value());
            secrets.add(value.value());
        });
    }

    @Override
    public TraceSource source() {
        return TraceSource.OTEL;
    }

    @Override
    public FetchResult fetch(String runId, long maxBytes) {
        String url = tracesUrl.contains("{traceId}")
                ? tracesUrl.replace("{traceId}", SourceClient.encode(runId))
                : SourceClient.trimmed(tracesUrl) + "/" + SourceClient.encode(runId);
        Exchange exchange = http.send(OutboundRequest.get(URI.create(url), headers, secrets), maxBytes);
        List<Exchange> exchanges = List.of(exchange);
        return exchange.succeeded()
                ? new FetchResult.Fetched(
                        List.of(new FetchResult.Response(OtlpReader.TRACE, exchange)), exchanges, List.of())
                : FetchResult.failed(exchange, exchanges, source(), runId);
    }

    @Override
    public String toString() {
        return "OtelTracesClient[" + tracesUrl + "]";
    }
}
