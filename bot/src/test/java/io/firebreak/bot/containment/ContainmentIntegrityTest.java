package io.firebreak.bot.containment;

import static io.firebreak.bot.containment.Runs.awaitState;
import static io.firebreak.bot.containment.Runs.latestRunId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.signing.SigningKey;
import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containment runs live on rows the hash chain does not cover: the record verification checks them against the
 * containment events, through a real fire and undo, and names a run whose state was rewritten.
 */
class ContainmentIntegrityTest {
    AgentControlStub agent;
    TestBot bot;

    @BeforeEach
    void start() throws IOException {
        Path dir = Files.createTempDirectory("firebreak-containment-integrity");
        agent = new AgentControlStub();
        bot = TestBot.start(agent.env(
                "FIREBREAK_SIGNING_KEY",
                SigningKey.generate().toPem(),
                "FIREBREAK_CHECKPOINT_DIR",
                dir.resolve("checkpoints").toString(),
                "FIREBREAK_CHECKPOINT_INTERVAL",
                "PT1H"));
    }

    @AfterEach
    void stop() {
        bot.close();
        agent.close();
    }

    @Test
    void firedAndUndoneRunsAgreeWithTheirEventsAndARewrittenStateIsNamed() {
        String key = Runs.open(bot, "high", "Refund agent sent wrong refunds");
        bot.command("contain " + key + " pause-workflow workflow=refund-agent -- refunds going to the wrong customers");
        String undone = latestRunId(bot);
        awaitState(bot, undone, "SUCCEEDED");
        Runs.await(
                () -> bot.count("select count(*) from containment_run where outcome_ts is not null") == 1,
                "the outcome message");
        bot.command("undo " + key + " " + undone + " -- fixed in v42");
        awaitState(bot, undone, "UNDONE");
        bot.command("contain " + key + " pause-workflow workflow=refund-agent -- it came back");
        String inEffect = latestRunId(bot);
        awaitState(bot, inEffect, "SUCCEEDED");
        // The first containment moved the incident to CONTAINED, which made a checkpoint.
        bot.awaitCount(1, "select count(*) from record_checkpoint");

        JsonNode intact = bot.json(bot.api("/api/timeline/verify"));
        bot.db().useHandle(h -> h.execute("update containment_run set state = 'UNDONE' where id = ?", inEffect));
        JsonNode rewritten = bot.json(bot.api("/api/timeline/verify"));

        assertThat(intact.path("ok").asBoolean()).as(intact.toString()).isTrue();
        List<String> findings = new ArrayList<>();
        rewritten
                .path("findings")
                .forEach(f -> findings.add(f.path("kind").asText() + " "
                        + f.path("incident").asText() + ": " + f.path("detail").asText()));
        assertThat(findings)
                .containsExactly("CONTAINMENT_MISMATCH " + key + ": containment run " + inEffect
                        + " is UNDONE but its events say SUCCEEDED");
    }
}
