package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containment belongs to its target: two incidents about the same workflow share one pause, the second one says it
 * relies on the first's, and the first cannot lift it while the second is open. Every card says so.
 */
class ContainmentLinkTest {
    private static final String PAUSE = "/workflows/refund-agent/pause";
    private static final String RESUME = "/workflows/refund-agent/resume";

    private AgentControlStub agent;
    private TestBot bot;
    private String runId;

    @BeforeEach
    void start() {
        agent = new AgentControlStub();
        bot = TestBot.start(agent.env());
        Runs.stubSlack(bot);
        Runs.open(bot, "critical", "Refund agent sent wrong refunds");
        assertThat(contain("INC-1")).contains("now");
        runId = latestRunId(bot);
        awaitState(bot, runId, "SUCCEEDED");
        Runs.open(bot, "critical", "Refund agent refunds the wrong orders");
    }

    @AfterEach
    void stop() {
        bot.close();
        agent.close();
    }

    private String contain(String key) {
        return bot.text(
                bot.command("contain " + key + " pause-workflow workflow=refund-agent -- refunds going out twice"));
    }

    @Test
    void firingTheSameActionOnASecondIncidentLinksItToTheLiveOneAndSendsNothing() {
        String answer = contain("INC-2");

        assertThat(answer)
                .contains(
                        ":link: *Pause workflow* `workflow=refund-agent` is already in effect for INC-1 (run `" + runId)
                .contains("Nothing was sent: INC-2 now relies on it too");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, PAUSE)).hasSize(1);
        assertThat(bot.count("select count(*) from containment_run")).isEqualTo(1);
        assertThat(Runs.kinds(bot, "INC-2")).endsWith("containment_linked");
        assertThat(Runs.kinds(bot, "INC-1")).endsWith("containment_linked");
        Runs.await(
                () -> card("INC-2").contains(":link:") && card("INC-2").contains("fired for INC-1"),
                "INC-2's card to show the pause it relies on");
        Runs.await(() -> card("INC-1").contains("also relied on by INC-2"), "INC-1's card to say INC-2 relies on it");

        assertThat(contain("INC-2")).contains("INC-2 already relies on it");
        assertThat(bot.count("select count(*) from containment_link")).isEqualTo(1);
    }

    @Test
    void anUndoWhileAnotherOpenIncidentReliesOnItIsRefusedNamingThatIncident() {
        contain("INC-2");

        String answer = bot.text(bot.command("undo INC-1 " + runId + " -- fixed in v42"));

        assertThat(answer)
                .contains("Pause workflow (" + runId + ") cannot be undone from INC-1: INC-2 still relies on it.");
        SlackApiStub.sleep(500);
        assertThat(agent.calls(RequestMethod.POST, RESUME)).isEmpty();
        assertThat(Runs.state(bot, runId)).isEqualTo("SUCCEEDED");
        assertThat(Runs.kinds(bot, "INC-1")).doesNotContain("containment_undo_requested");
    }

    /** The newest card of {@code key} posted or updated. */
    private String card(String key) {
        java.util.List<java.util.Map<String, String>> all =
                new java.util.ArrayList<>(bot.slack().calls("chat.postMessage"));
        all.addAll(bot.slack().calls("chat.update"));
        return all.stream()
                .map(c -> c.getOrDefault("blocks", ""))
                .filter(b -> b.contains(key + " ·"))
                .reduce((a, b) -> b)
                .orElse("");
    }
}
