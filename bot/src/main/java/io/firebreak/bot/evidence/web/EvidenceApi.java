package io.firebreak.bot.evidence.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.web.ApiExtension;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.evidence.EvidenceFetch;
import io.firebreak.storage.evidence.EvidenceSnapshot;
import io.firebreak.storage.evidence.RawPartInfo;
import io.firebreak.storage.incident.IncidentKey;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read API of run evidence:
 * <ul>
 *   <li>{@code GET /api/incidents/{key}/runs}: the incident's runs and where their evidence stands;</li>
 *   <li>{@code GET /api/incidents/{key}/runs/{run-id}}: the run, its fetches, and every snapshot with its
 *       normalized fields, what changed, and what is known of its raw responses (size, SHA-256, a link; never the
 *       bodies, which can be tens of megabytes each);</li>
 *   <li>{@code GET /api/incidents/{key}/runs/{run-id}/snapshots/{n}/raw/{part}}: one raw response, byte for byte,
 *       to check against its SHA-256, streamed from the database slice by slice.</li>
 * </ul>
 */
public final class EvidenceApi implements ApiExtension {
    private static final Pattern RUNS = Pattern.compile("/incidents/([^/]+)/runs/?");
    private static final Pattern RUN = Pattern.compile("/incidents/([^/]+)/runs/([^/]+?)/?");
    private static final Pattern RAW =
            Pattern.compile("/incidents/([^/]+)/runs/([^/]+)/snapshots/(\\d{1,9})/raw/(\\d{1,9})/?");

    private final EvidenceService evidence;
    private final JsonResponses json;
    private final ObjectMapper mapper;

    public EvidenceApi(EvidenceService evidence, JsonResponses json) {
        this.evidence = evidence;
        this.json = json;
        this.mapper = json.mapper();
    }

    @Override
    public boolean endpoint(String path, jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Matcher raw = RAW.matcher(path);
        if (raw.matches()) {
            raw(raw.group(1), raw.group(2), Integer.parseInt(raw.group(3)), Integer.parseInt(raw.group(4)), response);
            return true;
        }
        Matcher run = RUN.matcher(path);
        if (run.matches()) {
            run(run.group(1), run.group(2), response);
            return true;
        }
        Matcher runs = RUNS.matcher(path);
        if (runs.matches()) {
            runs(runs.group(1), response);
            return true;
        }
        return false;
    }

    private void runs(String keyText, HttpServletResponse response) throws IOException {
        Optional<IncidentKey> key = key(keyText, response);
        if (key.isEmpty()) {
            return;
        }
        Optional<java.util.List<EvidenceService.RunStatus>> runs = evidence.runs(key.get());
        if (runs.isEmpty()) {
            json.error(response, 404, "no incident " + key.get());
            return;
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("incident", key.get().toString());
        ArrayNode list = body.putArray("runs");
        for (EvidenceService.RunStatus status : runs.get()) {
            ObjectNode run = list.addObject();
            run.put("run_id", status.attachment().runId());
            run.put("source", status.attachment().source().name());
            run.put("attached_by", status.attachment().attachedBy());
            run.put("attached_at", status.attachment().attachedAt().toString());
            run.put("snapshots", status.snapshots());
            status.latestFetch().ifPresent(f -> run.set("latest_fetch", fetch(f)));
            status.latestSnapshot().ifPresent(s -> run.put("latest_sha256", s.sha256()));
            run.put(
                    "href",
                    "/api/incidents/" + key.get() + "/runs/"
                            + encode(status.attachment().runId()));
        }
        json.write(response, 200, body);
    }

    private void run(String keyText, String runId, HttpServletResponse response) throws IOException {
        Optional<IncidentKey> key = key(keyText, response);
        if (key.isEmpty()) {
            return;
        }
        Optional<EvidenceService.RunEvidence> found = evidence.evidence(key.get(), runId);
        if (found.isEmpty()) {
            json.error(response, 404, "run " + runId + " is not attached to " + key.get());
            return;
        }
        EvidenceService.RunEvidence run = found.get();
        ObjectNode body = mapper.createObjectNode();
        body.put("incident", key.get().toString());
        body.put("run_id", run.attachment().runId());
        body.put("source", run.attachment().source().name());
        body.put("attached_by", run.attachment().attachedBy());
        body.put("attached_at", run.attachment().attachedAt().toString());
        body.put("report_id", run.attachment().reportId().orElse(null));
        ArrayNode fetches = body.putArray("fetches");
        run.fetches().forEach(f -> fetches.add(fetch(f)));
        ArrayNode snapshots = body.putArray("snapshots");
        for (EvidenceService.SnapshotWithParts s : run.snapshots()) {
            snapshots.add(snapshot(key.get(), run.attachment().runId(), s));
        }
        json.write(response, 200, body);
    }

    private ObjectNode snapshot(IncidentKey key, String runId, EvidenceService.SnapshotWithParts withParts)
            throws IOException {
        EvidenceSnapshot s = withParts.snapshot();
        ObjectNode node = mapper.createObjectNode();
        node.put("seq", s.seq());
        node.put("fetched_at", s.fetchedAt().toString());
        node.put("source", s.source().name());
        node.put("sha256", s.sha256());
        node.put("bytes", s.bytes());
        node.put("truncated", s.truncated());
        node.put("parse_status", s.parseStatus().name());
        node.set("normalized", mapper.readTree(s.normalized()));
        node.set(
                "changes", s.changes().isPresent() ? mapper.readTree(s.changes().get()) : mapper.nullNode());
        ArrayNode raw = node.putArray("raw");
        for (RawPartInfo part : withParts.parts()) {
            ObjectNode p = raw.addObject();
            p.put("part", part.part());
            p.put("method", part.method());
            p.put("url", part.url());
            p.put("status", part.status());
            p.put("content_type", part.contentType().orElse(null));
            p.put("bytes", part.bytes());
            p.put("sha256", part.sha256());
            p.put("truncated", part.truncated());
            p.put(
                    "href",
                    "/api/incidents/" + key + "/runs/" + encode(runId) + "/snapshots/" + s.seq() + "/raw/"
                            + part.part());
        }
        return node;
    }

    private void raw(String keyText, String runId, int seq, int partNo, HttpServletResponse response)
            throws IOException {
        Optional<IncidentKey> key = key(keyText, response);
        if (key.isEmpty()) {
            return;
        }
        Optional<RawPartInfo> part = evidence.evidence(key.get(), runId)
                .flatMap(run -> run.snapshots().stream()
                        .filter(s -> s.snapshot().seq() == seq)
                        .findFirst())
                .flatMap(s -> s.parts().stream().filter(p -> p.part() == partNo).findFirst());
        if (part.isEmpty()) {
            json.error(
                    response,
                    404,
                    "no part " + partNo + " of snapshot " + seq + " of run " + runId + " in " + key.get());
            return;
        }
        response.setStatus(200);
        response.setContentType("application/octet-stream");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-SHA256", part.get().sha256());
        response.setHeader(
                "Content-Disposition",
                "attachment; filename=\"" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + "-snapshot-" + seq + "-part-"
                        + partNo + ".raw\"");
        response.setContentLengthLong(part.get().bytes());
        evidence.streamRaw(part.get(), response.getOutputStream());
    }

    private JsonNode fetch(EvidenceFetch f) {
        ObjectNode node = mapper.createObjectNode();
        node.put("state", f.state().name());
        node.put("source", f.source().name());
        node.put("requested_by", f.requestedBy());
        node.put("requested_at", f.requestedAt().toString());
        node.put("attempts", f.attempts());
        node.put("last_problem", f.lastProblem().orElse(null));
        node.put("next_attempt_at", f.nextAttemptAt().map(Instant::toString).orElse(null));
        node.put("finished_at", f.finishedAt().map(Instant::toString).orElse(null));
        f.unchangedSince().ifPresent(seq -> node.put("unchanged_since_snapshot", seq));
        return node;
    }

    private Optional<IncidentKey> key(String text, HttpServletResponse response) throws IOException {
        Optional<IncidentKey> key = IncidentKey.parse(text);
        if (key.isEmpty()) {
            json.error(response, 404, "not an incident key: " + text + " (keys look like INC-12)");
        }
        return key;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
