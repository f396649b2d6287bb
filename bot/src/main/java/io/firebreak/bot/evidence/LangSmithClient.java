package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.config.EvidenceSettings;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.storage.evidence.ParseStatus;
import io.firebreak.storage.evidence.TraceSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * LangSmith with the {@code X-API-Key} header: the run ({@code GET /runs/{id}}), then its whole trace tree
 * ({@code POST /runs/query} with {@code {"trace": <trace id>}}, following {@code cursors.next}). When the tree
 * cannot be loaded for good (some deployments do not support it) the run alone is kept, with a note saying so.
 */
public final class LangSmithClient implements SourceClient {
    static final int PAGE_SIZE = 100;
    static final int MAX_PAGES = 50;

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final String base;
    private final Map<String, String> headers;
    private final Set<String> secrets;

    public LangSmithClient(OutboundHttp http, ObjectMapper mapper, EvidenceSettings.LangSmith settings) {
        this.http = http;
        this.mapper = mapper;
        this.base = SourceClient.trimmed(settings.apiUrl().toString());
        this.headers = Map.of("X-API-Key", settings.apiKey().value(), "Accept", "application/json");
        this.secrets = Set.of(settings.apiKey().value());
    }

    @Override
    public TraceSource source() {
        return TraceSource.LANGSMITH;
    }

    @Override
    public FetchResult fetch(String runId, long maxBytes) {
        List<Exchange> exchanges = new ArrayList<>();
        Exchange run = http.send(
                OutboundRequest.get(URI.create(base + "/runs/" + SourceClient.encode(runId)), headers, secrets),
                maxBytes);
        exchanges.add(run);
        if (!run.succeeded()) {
            return FetchResult.failed(run, exchanges, source(), runId);
        }
        List<FetchResult.Response> responses = new ArrayList<>();
        responses.add(new FetchResult.Response(LangSmithReader.RUN, run));
        List<String> notes = new ArrayList<>();
        TolerantJson.Result read = TolerantJson.read(run.body(), run.truncated());
        Optional<JsonNode> runJson =
                read.status() == ParseStatus.PARSED ? read.roots().stream().findFirst() : Optional.empty();
        // A root run is its own trace; older API answers leave trace_id out.
        Optional<String> traceId = runJson.flatMap(r -> JsonValues.text(r.path("trace_id"))
                .or(() -> JsonValues.has(r.path("parent_run_id")) ? Optional.empty() : JsonValues.text(r.path("id"))));
        if (traceId.isEmpty()) {
            notes.add("the trace tree was not fetched: the run "
                    + (runJson.isEmpty() ? "could not be read" : "names no trace_id"));
            return new FetchResult.Fetched(responses, exchanges, notes);
        }
        long left = maxBytes - run.body().length;
        Optional<String> cursor = Optional.empty();
        for (int page = 1; page <= MAX_PAGES; page++) {
            if (left <= 0) {
                notes.add("the trace tree was not fetched completely: the size limit was reached");
                break;
            }
            Exchange tree = http.send(
                    new OutboundRequest(
                            "POST",
                            URI.create(base + "/runs/query"),
                            Map.of(
                                    "X-API-Key",
                                    headers.get("X-API-Key"),
                                    "Accept",
                                    "application/json",
                                    "Content-Type",
                                    "application/json"),
                            Optional.of(query(traceId.get(), runJson.get(), cursor)),
                            secrets),
                    left);
            exchanges.add(tree);
            if (!tree.succeeded()) {
                if (tree.failure().retryable()) {
                    return FetchResult.failed(tree, exchanges, source(), runId);
                }
                notes.add("the trace tree could not be loaded (" + tree.describe(source().label())
                        + "); the run alone is kept");
                break;
            }
            responses.add(new FetchResult.Response(LangSmithReader.TREE, tree));
            left -= tree.body().length;
            TolerantJson.Result page1 = TolerantJson.read(tree.body(), tree.truncated());
            cursor = page1.roots().stream()
                    .map(r -> r.path("cursors").path("next"))
                    .filter(JsonValues::has)
                    .map(JsonNode::asText)
                    .findFirst();
            if (cursor.isEmpty()) {
                break;
            }
            if (page == MAX_PAGES) {
                notes.add("the trace tree was not fetched completely: " + MAX_PAGES
                        + " pages is the most read per fetch");
            }
        }
        return new FetchResult.Fetched(responses, exchanges, notes);
    }

    /** The body of {@code POST /runs/query} for every run of the trace, in the run's project when it names one. */
    private String query(String traceId, JsonNode run, Optional<String> cursor) {
        ObjectNode body = mapper.createObjectNode();
        body.put("trace", traceId);
        JsonValues.text(run.path("session_id"))
                .ifPresent(session -> body.putArray("session").add(session));
        body.put("limit", PAGE_SIZE);
        cursor.ifPresent(c -> body.put("cursor", c));
        return body.toString();
    }
}
