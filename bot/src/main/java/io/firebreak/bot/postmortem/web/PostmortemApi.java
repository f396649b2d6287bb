package io.firebreak.bot.postmortem.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.outbound.RedactedJson;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.postmortem.CorrectionService;
import io.firebreak.bot.postmortem.FollowUpService;
import io.firebreak.bot.postmortem.PostmortemWriter;
import io.firebreak.bot.web.ApiExtension;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.postmortem.Correction;
import io.firebreak.storage.postmortem.FollowUp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The postmortem in the read API: corrections and follow-ups on the incident, {@code postmortem.md},
 * {@code regression-cases.jsonl} per incident, and {@code GET /api/regression-cases.jsonl?since=…} across
 * incidents, for a CI eval job.
 */
public final class PostmortemApi implements ApiExtension {
    private final CorrectionService corrections;
    private final FollowUpService followUps;
    private final PostmortemWriter writer;
    private final JsonResponses json;
    private final ObjectMapper mapper;

    public PostmortemApi(
            CorrectionService corrections, FollowUpService followUps, PostmortemWriter writer, JsonResponses json) {
        this.corrections = corrections;
        this.followUps = followUps;
        this.writer = writer;
        this.json = json;
        this.mapper = json.mapper();
    }

    @Override
    public void addTo(ObjectNode incidentJson, Incident incident) {
        ArrayNode correctionsJson = incidentJson.putArray("corrections");
        for (Correction c : corrections.corrections(incident.key())) {
            ObjectNode node = correctionsJson.addObject();
            node.put("what_changed", c.whatChanged().name());
            node.put("description", c.description().orElse(null));
            node.put("new_version", c.newVersion());
            ObjectNode eval = node.putObject("evaluation");
            eval.put("name", c.evalName().orElse(null));
            eval.put("link", c.evalLink().orElse(null));
            eval.put("result", c.evalResult().name());
            node.put("rollout", c.rollout().name());
            node.put("recorded_by", c.recordedBy());
            node.put("recorded_at", c.recordedAt().toString());
        }
        ArrayNode followUpsJson = incidentJson.putArray("follow_ups");
        followUps.followUps(incident.key()).forEach(f -> followUpsJson.add(followUp(f)));
    }

    @Override
    public boolean incidentEndpoint(Incident incident, String rest, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (rest.equals("postmortem.md")) {
            String markdown = writer.write(incident.key()).orElseThrow();
            resp.setStatus(200);
            resp.setContentType("text/markdown; charset=utf-8");
            resp.setHeader("Cache-Control", "no-store");
            resp.getOutputStream().write(markdown.getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (rest.equals("regression-cases.jsonl")) {
            jsonl(
                    resp,
                    followUps.followUps(incident.key()).stream()
                            .filter(f -> f.kind() == FollowUp.Kind.REGRESSION_CASE)
                            .toList());
            return true;
        }
        return false;
    }

    @Override
    public boolean endpoint(
            String path,
            java.util.function.Predicate<io.firebreak.storage.incident.IncidentKey> visible,
            HttpServletRequest req,
            HttpServletResponse resp)
            throws IOException {
        if (!path.equals("/regression-cases.jsonl")) {
            return false;
        }
        Instant since = Instant.EPOCH;
        String param = req.getParameter("since");
        if (param != null && !param.isBlank()) {
            try {
                since = param.length() == 10
                        ? Instant.parse(param + "T00:00:00Z")
                        : OffsetDateTime.parse(param).toInstant();
            } catch (DateTimeParseException e) {
                json.error(
                        resp,
                        400,
                        "since must be a date (2026-11-24) or an ISO-8601 time with an offset (2026-11-24T09:00:00Z)");
                return true;
            }
        }
        // Cases from incidents the reader may not see (private ones) are left out, not redacted: their inputs are the
        // secret.
        jsonl(
                resp,
                followUps.regressionCasesSince(since).stream()
                        .filter(f -> visible.test(new io.firebreak.storage.incident.IncidentKey(f.incidentId())))
                        .toList());
        return true;
    }

    private void jsonl(HttpServletResponse resp, List<FollowUp> cases) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/x-ndjson; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        Writer out = resp.getWriter();
        for (FollowUp f : cases) {
            out.write(mapper.writeValueAsString(regressionCase(f)));
            out.write('\n');
        }
        out.flush();
    }

    /** One regression case as an eval item: input, the bad output, the expected behaviour, and where it came from. */
    ObjectNode regressionCase(FollowUp f) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", f.key());
        node.put("incident", "INC-" + f.incidentId());
        node.put("source_run_id", f.sourceRunId().orElse(null));
        node.set("input", RedactedJson.of(f.input().map(this::read).orElse(mapper.nullNode())));
        node.set("bad_output", RedactedJson.of(f.badOutput().map(this::read).orElse(mapper.nullNode())));
        node.put("expected_behavior", Redactor.redact(f.expectedBehavior().orElse(f.text())));
        node.put("failure_point", f.failurePoint().orElse(null));
        node.set("tags", mapper.valueToTree(f.tags()));
        node.put("created_at", f.createdAt().toString());
        return node;
    }

    private ObjectNode followUp(FollowUp f) {
        ObjectNode node = f.kind() == FollowUp.Kind.REGRESSION_CASE
                ? regressionCase(f)
                : mapper.createObjectNode().put("id", f.key());
        node.put("kind", f.kind().name());
        node.put("text", f.text());
        node.put("owner", f.owner().orElse(null));
        node.put("created_by", f.createdBy());
        node.put("created_at", f.createdAt().toString());
        if (f.kind() == FollowUp.Kind.REGRESSION_CASE) {
            node.put("pushed_at", f.pushedAt().map(Instant::toString).orElse(null));
            node.put("push_error", f.pushError().orElse(null));
        }
        return node;
    }

    private com.fasterxml.jackson.databind.JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }
}
