package io.firebreak.bot.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.testing.TestBot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evidence cannot fill the disk: past the per-run and per-incident snapshot limits an attach is refused with a
 * message naming the limit, in Slack and in the report API, and nothing is written.
 */
class EvidenceLimitsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static TraceBackends backends;
    static TestBot bot;

    @BeforeAll
    static void start() {
        backends = new TraceBackends();
        bot = TestBot.start(backends.langfuse(
                "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_RUN", "2",
                "FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT", "3",
                "FIREBREAK_INTAKE_SECRET", TestBot.INTAKE_SECRET));
    }

    @AfterAll
    static void stop() {
        bot.close();
        backends.close();
    }

    /** The trace with its version set to {@code version}: another body, so another snapshot. */
    private static byte[] version(String version) throws Exception {
        ObjectNode trace = (ObjectNode) MAPPER.readTree(TraceBackends.bytes(LangfuseEvidenceTest.OPENAI_AGENTS));
        ((ObjectNode) trace.get("trace")).put("version", version);
        return MAPPER.writeValueAsBytes(trace);
    }

    private static void fetch(long incident, String run, String version) throws Exception {
        backends.serve("/api/public/traces/" + run, version(version));
        bot.command("run INC-" + incident + " " + run);
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, run)).isEqualTo("SUCCEEDED");
    }

    private static long fetches() {
        return bot.count("select count(*) from evidence_fetch");
    }

    @Test
    void pastTheLimitsAnAttachIsRefusedWithTheLimitNamedAndNothingIsWritten() throws Exception {
        long incident = TraceBackends.openIncident(bot, "A run fetched again and again");
        fetch(incident, "run-limit-a", "v1");
        fetch(incident, "run-limit-a", "v2");

        long before = fetches();
        String perRun = bot.text(bot.command("run INC-" + incident + " run-limit-a"));

        assertThat(perRun)
                .contains("Run run-limit-a already has 2 snapshots on INC-" + incident)
                .contains("FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_RUN is 2")
                .contains("Nothing was fetched.");
        assertThat(fetches()).isEqualTo(before);

        fetch(incident, "run-limit-b", "v1");
        String perIncident = bot.text(bot.command("run INC-" + incident + " run-limit-c"));

        assertThat(perIncident)
                .contains("INC-" + incident + " already holds 3 evidence snapshots")
                .contains("FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT is 3")
                .contains("Nothing was attached.");
        assertThat(bot.count("select count(*) from run_attachment where run_id = 'run-limit-c'"))
                .isZero();
    }

    @Test
    void aReportWhoseRunCannotBeAttachedIsKeptAndItsAnswerSaysWhy() throws Exception {
        backends.serve("/api/public/traces/run-report-a", version("v1"));
        JsonNode first = bot.json(bot.report(report("run-report-a")));
        long incident = Long.parseLong(first.path("incident").asText().substring("INC-".length()));
        assertThat(TraceBackends.awaitFetchEnd(bot, incident, "run-report-a")).isEqualTo("SUCCEEDED");
        fetch(incident, "run-report-a", "v2");
        fetch(incident, "run-report-b", "v1");

        // The same workflow joins the incident, whose runs already hold the most snapshots one incident keeps.
        var response = bot.report(report("run-report-c"));
        JsonNode answer = bot.json(response);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(answer.path("incident").asText()).isEqualTo("INC-" + incident);
        assertThat(answer.path("joined_existing").asBoolean()).isTrue();
        assertThat(answer.path("run_not_attached").asText())
                .contains("already holds 3 evidence snapshots")
                .contains("FIREBREAK_EVIDENCE_MAX_SNAPSHOTS_PER_INCIDENT is 3");
        assertThat(bot.count("select count(*) from report where run_id = 'run-report-c'"))
                .isEqualTo(1);
        assertThat(bot.count("select count(*) from run_attachment where run_id = 'run-report-c'"))
                .isZero();
    }

    private static String report(String run) {
        return "{\"description\": \"The agent refunded the wrong order\", \"run_id\": \"" + run
                + "\", \"source\": \"langfuse\", \"workflow\": \"refunds-full\", \"form\": \"support-widget\"}";
    }
}
