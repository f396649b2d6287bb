package io.firebreak.bot.containment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.Interactions;
import io.firebreak.bot.testing.TestBot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/incidents/{key}} lists every action run with its state, people, attempts and times. */
class ActionRunsApiTest {
    final AgentControlStub agent = new AgentControlStub();
    TestBot bot;

    @AfterEach
    void stop() {
        bot.close();
        agent.close();
    }

    @Test
    void everyActionRunIsListedWithWhoAskedWhoApprovedAttemptsAndTimes() {
        bot = TestBot.start(agent.env("FIREBREAK_APPROVERS", "U0APPROVE1"));
        agent.answerFirstThen(
                RequestMethod.POST,
                "/workflows/refund-agent/tools/disable",
                aResponse().withStatus(502),
                aResponse().withStatus(200));
        String key = Runs.open(bot, "medium", "Refund agent sent wrong refunds");
        bot.command("contain " + key + " force-manual-approval workflow=refund-agent -- every refund needs a human");
        String approvedRun = latestRunId(bot);
        awaitState(bot, approvedRun, "SUCCEEDED");
        bot.command("contain " + key + " disable-write-tools workflow=refund-agent -- stop writes");
        String pending = latestRunId(bot);
        bot.postSigned(
                Interactions.buttonClick("containment_approve", pending, "U0APPROVE1", TestBot.CHANNEL, "1.2"),
                "application/x-www-form-urlencoded");
        awaitState(bot, pending, "SUCCEEDED");
        bot.command("contain " + key + " pause-workflow workflow=other-agent -- waiting");
        String waiting = latestRunId(bot);

        JsonNode runs = bot.json(bot.api("/api/incidents/" + key)).path("action_runs");

        assertThat(runs).hasSize(3);
        JsonNode first = runs.get(0);
        assertThat(first.path("id").asText()).isEqualTo(approvedRun);
        assertThat(first.path("action").asText()).isEqualTo("force-manual-approval");
        assertThat(first.path("title").asText()).isEqualTo("Force manual approval");
        assertThat(first.path("parameters").path("workflow").asText()).isEqualTo("refund-agent");
        assertThat(first.path("reason").asText()).isEqualTo("every refund needs a human");
        assertThat(first.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(first.path("requested_by").asText()).isEqualTo(TestBot.USER);
        assertThat(first.path("approved_by").isNull()).isTrue();
        assertThat(first.path("approval").path("needed").asBoolean()).isFalse();
        assertThat(first.path("attempts").asInt()).isEqualTo(1);
        assertThat(first.path("requested_at").asText()).endsWith("Z");
        assertThat(first.path("started_at").asText()).endsWith("Z");
        assertThat(first.path("finished_at").asText()).endsWith("Z");
        assertThat(first.path("outcome").asText()).isEqualTo("accepted by the agent control API (200)");
        assertThat(first.path("undo").isNull()).isTrue();

        JsonNode second = runs.get(1);
        assertThat(second.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.path("approved_by").asText()).isEqualTo("U0APPROVE1");
        assertThat(second.path("approval").path("decision").asText()).isEqualTo("approved");
        assertThat(second.path("approval").path("decided_at").asText()).endsWith("Z");
        assertThat(second.path("attempts").asInt()).isEqualTo(2);
        assertThat(second.path("severity_at_request").asText()).isEqualTo("MEDIUM");

        JsonNode third = runs.get(2);
        assertThat(third.path("id").asText()).isEqualTo(waiting);
        assertThat(third.path("state").asText()).isEqualTo("PENDING_APPROVAL");
        assertThat(third.path("approval").path("expires_at").asText()).endsWith("Z");
        assertThat(third.path("attempts").asInt()).isZero();
        assertThat(third.path("started_at").isNull()).isTrue();
    }

    @Test
    void anIncidentWithoutContainmentHasAnEmptyList() {
        bot = TestBot.start(agent.env());
        bot.command("open low Typo");

        JsonNode body = bot.json(bot.api("/api/incidents/INC-1"));

        assertThat(body.path("action_runs").isArray()).isTrue();
        assertThat(body.path("action_runs")).isEmpty();
        assertThat(body.path("timeline")).hasSize(1);
    }
}
