package io.firebreak.bot.evidence;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.firebreak.bot.evidence.TraceBackends.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.testing.TestBot;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tracing backend that is down, slow, rate limiting, resetting connections, answering too much or not JSON,
 * and a database that fails mid-store: each retried or recorded as it should be, the thread told, and no
 * partial evidence row ever left behind.
 */
class EvidenceFaultsTest {
    static final String OPENAI_AGENTS = LangfuseEvidenceTest.OPENAI_AGENTS;
    static final int MAX_BYTES = 20 * 1024;
    static TraceBackends backends;
    static TestBot bot;

    @BeforeAll
    static void start() {
        backends = new TraceBackends();
        bot = TestBot.start(backends.langfuse(
                "FIREBREAK_EVIDENCE_FETCH_ATTEMPTS",
                "3",
                "FIREBREAK_EVIDENCE_TIMEOUT_SECONDS",
                "1",
                "FIREBREAK_EVIDENCE_MAX_BYTES",
                "20KB"));
    }

    @AfterAll
    static void stop() {
        bot.close();
        backends.close();
    }

    /** The first answer is {@code first}, every later one the small example trace. */
    private static void firstThenOk(
            String runId, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        String path = "/api/public/traces/" + runId;
        backends.wiremock()
                .stubFor(get(path)
                        .inScenario(runId)
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(first)
                        .willSetStateTo("answered"));
        backends.wiremock()
                .stubFor(get(path)
                        .inScenario(runId)
                        .whenScenarioStateIs("answered")
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(TraceBackends.bytes(
                                        "reference/agent-traces/jaeger/apiv3-GetTrace.snapshot.json"))));
    }

    private static long attach(String title, String runId) {
        long incident = TraceBackends.openIncident(bot, title);
        assertThat(bot.text(bot.command("run INC-" + incident + " " + runId))).contains("Attached run");
        return incident;
    }

    @Test
    void aBackendThatFailsIsRetriedAndTheThreadSaysItIsStillTrying() {
        firstThenOk("run-503", aResponse().withStatus(503).withBody("{\"message\":\"upstream unavailable\"}"));

        long incident = attach("Langfuse was down", "run-503");

        String notice = backends.blockText(TraceBackends.awaitThreadMessage(bot, "Fetching run", "run-503"));
        assertThat(notice)
                .contains("Fetching run `run-503` from Langfuse for INC-" + incident + ": Langfuse failed (503). "
                        + "Still trying (attempt 1 of 3 failed; next try at");
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-503")).isEqualTo("SUCCEEDED");
        TraceBackends.awaitThreadMessage(bot, "Evidence frozen", "run-503");
        assertThat(bot.count(
                        "select attempts from evidence_fetch f join run_attachment a on a.id = f.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(2);
        JsonNode retrying = backends.json(bot.string(
                "select details::text from timeline_event where incident_id = ? and kind = 'evidence_fetch_retrying'",
                incident));
        assertThat(retrying.path("exchanges").get(0).path("outcome").asText()).isEqualTo("SERVER_ERROR");
        assertThat(retrying.path("exchanges")
                        .get(0)
                        .path("response")
                        .path("body")
                        .asText())
                .contains("upstream unavailable");
        assertThat(retrying.path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void aRateLimitingBackendIsAskedAgainNoSoonerThanItsRetryAfter() {
        firstThenOk("run-429", aResponse().withStatus(429).withHeader("Retry-After", "2"));

        long incident = attach("Langfuse rate limit", "run-429");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-429")).isEqualTo("SUCCEEDED");
        List<LoggedRequest> requests =
                backends.wiremock().findAll(getRequestedFor(urlEqualTo("/api/public/traces/run-429")));
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(
                        requests.get(0).getLoggedDate().toInstant(),
                        requests.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(backends.blockText(TraceBackends.awaitThreadMessage(bot, "Fetching run", "run-429")))
                .contains("Langfuse is rate limiting us (429), retry after 2 s");
    }

    @Test
    void aSlowBackendTimesOutAndIsTriedAgain() {
        firstThenOk("run-slow", aResponse().withStatus(200).withFixedDelay(2500).withBody("{}"));

        long incident = attach("Langfuse was slow", "run-slow");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-slow")).isEqualTo("SUCCEEDED");
        JsonNode retrying = backends.json(bot.string(
                "select details::text from timeline_event where incident_id = ? and kind = 'evidence_fetch_retrying'",
                incident));
        assertThat(retrying.path("exchanges").get(0).path("outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(retrying.path("text").asText()).startsWith("Langfuse did not answer in time; trying again");
    }

    @Test
    void connectionResetsAreRetriedUpToTheLimitThenTheFetchFailsWithNothingStored() {
        backends.wiremock()
                .stubFor(get("/api/public/traces/run-reset")
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        long incident = attach("Langfuse unreachable", "run-reset");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-reset")).isEqualTo("FAILED");
        // Three attempts; the JDK's HTTP client itself resends an idempotent GET once on a reset connection.
        assertThat(bot.count(
                        "select attempts from evidence_fetch f join run_attachment a on a.id = f.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(3);
        assertThat(backends.wiremock().findAll(getRequestedFor(urlEqualTo("/api/public/traces/run-reset"))))
                .hasSizeBetween(3, 6);
        String failed = backends.blockText(TraceBackends.awaitThreadMessage(bot, "Could not fetch run", "run-reset"));
        assertThat(failed)
                .contains("Langfuse could not be reached")
                .contains("gave up after 3 attempts")
                .contains("Nothing was stored");
        assertThat(TraceBackends.threadMessages(bot).stream()
                        .filter(m -> m.get("text").contains("Fetching run `run-reset`")))
                .hasSize(1);
        assertThat(bot.count(
                        "select count(*) from timeline_event where incident_id = ? and kind = 'evidence_fetch_retrying'",
                        incident))
                .isEqualTo(2);
        assertThat(bot.count(
                        "select count(*) from evidence_snapshot s join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isZero();
    }

    @Test
    void aTraceOverTheSizeLimitIsStoredUpToTheLimitMarkedTruncatedAndReadUpToTheCut() {
        byte[] payload = TraceBackends.bytes(OPENAI_AGENTS);
        assertThat(payload.length).isGreaterThan(MAX_BYTES);
        backends.serve("/api/public/traces/run-big", payload);

        long incident = attach("Huge trace", "run-big");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-big")).isEqualTo("SUCCEEDED");
        byte[] stored = TraceBackends.rawBody(bot, incident, "run-big", 1, 1);
        assertThat(stored).isEqualTo(Arrays.copyOf(payload, MAX_BYTES));
        assertThat(bot.string(
                        "select sha256 || ' ' || bytes || ' ' || truncated || ' ' || parse_status from evidence_snapshot s "
                                + "join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo(TraceBackends.sha256(stored) + " " + MAX_BYTES + " true PARTIAL");
        JsonNode n = backends.normalized(bot, incident, "run-big", 1);
        assertThat(n.path("parse_status").asText()).isEqualTo("PARTIAL");
        assertThat(n.path("notes").get(0).asText())
                .isEqualTo("part 1 (trace) was cut at the size limit and is read up to the cut");
        assertThat(field(n, "run_id").path("value").asText()).isEqualTo("fee618f96dc31e0ca38b2f7b26eb8b29");
        assertThat(field(n, "agent_version").path("reason").asText())
                .endsWith("(the stored part of the truncated trace)");
        assertThat(backends.blockText(TraceBackends.awaitThreadMessage(bot, "Evidence frozen", "run-big")))
                .contains(
                        ":warning: The trace was longer than the size limit: it is stored up to the limit and marked truncated; "
                                + "fields were read up to the cut.");
    }

    @Test
    void aResponseThatIsNotJsonIsKeptRawAndMarkedUnparsable() {
        byte[] html =
                "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        backends.wiremock()
                .stubFor(get("/api/public/traces/run-html")
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/html")
                                .withBody(html)));

        long incident = attach("Proxy answered HTML", "run-html");

        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-html")).isEqualTo("SUCCEEDED");
        assertThat(TraceBackends.rawBody(bot, incident, "run-html", 1, 1)).isEqualTo(html);
        assertThat(bot.string(
                        "select parse_status || ' ' || truncated || ' ' || sha256 from evidence_snapshot s "
                                + "join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                        incident))
                .isEqualTo("UNPARSABLE false " + TraceBackends.sha256(html));
        JsonNode n = backends.normalized(bot, incident, "run-html", 1);
        for (EvidenceField f : EvidenceField.values()) {
            assertThat(field(n, f.key()).path("status").asText()).as(f.key()).isEqualTo("missing");
        }
        assertThat(field(n, "tool_calls").path("reason").asText())
                .startsWith("the response is not valid JSON")
                .endsWith("; the raw response is kept as it came");
        assertThat(field(n, "user_report").path("reason").asText()).isEqualTo("no user report is linked to this run");
        assertThat(backends.blockText(TraceBackends.awaitThreadMessage(bot, "Evidence frozen", "run-html")))
                .contains(":warning: The response is not JSON: it is kept raw, byte for byte, and marked unparsable")
                .contains("*Completeness*: 0 of 12 fields present");
    }

    @Test
    void aFailureWhileStoringLeavesNoPartialEvidenceAndTheFetchIsRetried() {
        bot.db().useHandle(h -> h.execute("""
                create sequence raw_insert_attempts;
                create function fail_first_raw_insert() returns trigger language plpgsql as $$
                begin
                    if nextval('raw_insert_attempts') = 1 then
                        raise exception 'simulated: disk full';
                    end if;
                    return new;
                end;
                $$;
                create trigger fail_first_raw_insert before insert on evidence_raw
                    for each row execute function fail_first_raw_insert();
                """));
        try {
            backends.serve(
                    "/api/public/traces/run-disk-full",
                    TraceBackends.bytes("reference/agent-traces/tempo/trace-v1-batches.json"));

            long incident = attach("Database failed mid-store", "run-disk-full");

            TraceBackends.await(
                    "the failed store",
                    () -> bot.db()
                            .withHandle(h -> h.select("select is_called from raw_insert_attempts")
                                    .mapTo(Boolean.class)
                                    .one()));
            assertThat(bot.count(
                            "select count(*) from evidence_snapshot s join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                            incident))
                    .isZero();
            assertThat(bot.count(
                            "select count(*) from timeline_event where incident_id = ? and kind = 'evidence_frozen'",
                            incident))
                    .isZero();
            assertThat(bot.string(
                            "select state from evidence_fetch f join run_attachment a on a.id = f.attachment_id where a.incident_id = ?",
                            incident))
                    .isEqualTo("PENDING");
            assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-disk-full"))
                    .isEqualTo("SUCCEEDED");
            assertThat(bot.count(
                            "select count(*) from evidence_snapshot s join run_attachment a on a.id = s.attachment_id where a.incident_id = ?",
                            incident))
                    .isEqualTo(1);
            assertThat(bot.count(
                            "select count(*) from timeline_event where incident_id = ? and kind = 'evidence_frozen'",
                            incident))
                    .isEqualTo(1);
        } finally {
            bot.db()
                    .useHandle(h -> h.execute(
                            "drop trigger fail_first_raw_insert on evidence_raw; drop function fail_first_raw_insert(); "
                                    + "drop sequence raw_insert_attempts;"));
        }
    }
}
