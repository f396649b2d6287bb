package io.firebreak.bot.postmortem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.config.EvidenceSettings;
import io.firebreak.bot.platform.jobs.RetryLater;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.bot.platform.outbound.RedactedJson;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.platform.outbound.RetryPolicy;
import io.firebreak.storage.Storage;
import io.firebreak.storage.postmortem.FollowUp;
import io.firebreak.storage.postmortem.PostmortemDao;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Job handler for {@link FollowUpService#DATASET_JOB}: pushes a regression case to the Langfuse dataset named by
 * {@code LANGFUSE_DATASET} as a dataset item ({@code POST /api/public/dataset-items}, upserted on a stable id, so a
 * retry never makes a second item), recorded on the timeline. Retried with backoff; a push that fails for good is
 * recorded and never blocks closing.
 */
public final class DatasetPush {
    static final int BODY_LIMIT = 4000;

    private final Storage storage;
    private final IncidentService incidents;
    private final EvidenceSettings.Langfuse langfuse;
    private final String dataset;
    private final OutboundHttp http;
    private final RetryPolicy retry;
    private final ObjectMapper mapper;

    public DatasetPush(
            Storage storage,
            IncidentService incidents,
            EvidenceSettings.Langfuse langfuse,
            String dataset,
            OutboundHttp http,
            RetryPolicy retry,
            ObjectMapper mapper) {
        this.storage = storage;
        this.incidents = incidents;
        this.langfuse = langfuse;
        this.dataset = dataset;
        this.http = http;
        this.retry = retry;
        this.mapper = mapper;
    }

    public void runJob(String followUpId) {
        long id = Long.parseLong(followUpId);
        Optional<FollowUp> found =
                storage.inTransaction(tx -> tx.attach(PostmortemDao.class).followUp(id));
        if (found.isEmpty() || found.get().pushedAt().isPresent()) {
            return;
        }
        FollowUp regression = found.get();
        int attempt = storage.inTransaction(tx -> tx.attach(PostmortemDao.class).countPushAttempt(id));
        Exchange exchange = http.send(request(regression), 64 * 1024);
        storage.inTransaction(tx -> {
            ObjectNode details = mapper.createObjectNode()
                    .put("follow_up", regression.key())
                    .put("dataset", dataset)
                    .put("attempt", attempt);
            details.set("exchange", exchange.toJson(mapper, BODY_LIMIT));
            if (exchange.succeeded()) {
                tx.attach(PostmortemDao.class).markPushed(id, storage.clock().instant());
            } else {
                String why = exchange.describe("Langfuse");
                tx.attach(PostmortemDao.class).markPushFailed(id, why);
                details.put("outcome", why);
            }
            incidents.record(
                    tx,
                    new io.firebreak.storage.incident.IncidentKey(regression.incidentId()),
                    IncidentService.FIREBREAK,
                    exchange.succeeded() ? EventKinds.DATASET_PUSHED : EventKinds.DATASET_PUSH_FAILED,
                    details);
            return null;
        });
        if (!exchange.succeeded()) {
            retry.next(attempt, exchange, storage.clock().instant()).ifPresent(at -> {
                throw new RetryLater(
                        at, "pushing " + regression.key() + " to Langfuse: " + exchange.describe("Langfuse"));
            });
        }
    }

    private OutboundRequest request(FollowUp regression) {
        ObjectNode body = mapper.createObjectNode();
        body.put("datasetName", dataset);
        body.put("id", "firebreak-" + regression.key() + "-inc-" + regression.incidentId());
        body.set("input", RedactedJson.of(regression.input().map(this::read).orElse(mapper.nullNode())));
        ObjectNode expected = body.putObject("expectedOutput");
        expected.put(
                "expected_behavior",
                Redactor.redact(regression.expectedBehavior().orElse(regression.text())));
        expected.set(
                "bad_output",
                RedactedJson.of(regression.badOutput().map(this::read).orElse(mapper.nullNode())));
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("source", "firebreak");
        metadata.put("incident", "INC-" + regression.incidentId());
        metadata.put("regression_case", regression.key());
        metadata.put("failure_point", regression.failurePoint().orElse(null));
        metadata.set("tags", mapper.valueToTree(regression.tags()));
        regression.sourceRunId().ifPresent(run -> body.put("sourceTraceId", run));
        String basic = Base64.getEncoder()
                .encodeToString((langfuse.publicKey().value() + ":"
                                + langfuse.secretKey().value())
                        .getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(langfuse.host().toString().replaceAll("/+$", "") + "/api/public/dataset-items");
        return new OutboundRequest(
                "POST",
                uri,
                Map.of("Authorization", "Basic " + basic, "Content-Type", "application/json"),
                // The whole item, tags and metadata too, through the one redactor on its way out.
                Optional.of(RedactedJson.of(body).toString()),
                Set.of(langfuse.secretKey().value(), langfuse.publicKey().value(), basic));
    }

    private com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }
}
