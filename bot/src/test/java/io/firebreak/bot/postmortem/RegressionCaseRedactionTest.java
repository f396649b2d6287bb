package io.firebreak.bot.postmortem;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trace that carries an OpenAI key and a Slack token (an agent echoed them): the regression case built from it, in
 * the JSONL export and in the Langfuse dataset push, has them masked; the frozen raw body keeps them as evidence.
 */
class RegressionCaseRedactionTest {
    static final String RUN = "fee618f96dc31e0ca38b2f7b26eb8b29";
    static final String OPENAI_KEY = "sk-proj-Zx81NmQe4TgW0cYbVr3KpL7s";
    // Token-shaped (the redactor's pattern) but not the shape of a real Slack token, so it cannot be mistaken for one.
    static final String SLACK_TOKEN = "xoxb-planted-in-trace-Lp3Qw9ErTy6Ui";

    WireMockServer langfuse;
    TestBot bot;

    @BeforeEach
    void start() {
        langfuse = new WireMockServer(wireMockConfig().dynamicPort());
        langfuse.start();
        String trace = Fixtures.read("agent-traces/langfuse/openai-agents-2025-09-30.trace.json")
                .replace("What's the weather in Tokyo?", "What's the weather in Tokyo? My key is " + OPENAI_KEY)
                .replace("The weather in Tokyo is sunny.", "The weather in Tokyo is sunny. Posted with " + SLACK_TOKEN);
        langfuse.stubFor(get("/api/public/traces/" + RUN)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(trace)));
        langfuse.stubFor(post("/api/public/dataset-items")
                .willReturn(okJson("{\"id\": \"firebreak-REG-1-inc-1\", \"status\": \"ACTIVE\"}")));
        bot = TestBot.start(Map.of(
                "LANGFUSE_HOST",
                langfuse.baseUrl(),
                "LANGFUSE_PUBLIC_KEY",
                "pk-lf-redaction-public",
                "LANGFUSE_SECRET_KEY",
                "sk-lf-redaction-secret",
                "LANGFUSE_DATASET",
                "agent-regressions"));
    }

    @AfterEach
    void stop() {
        bot.close();
        langfuse.stop();
    }

    @Test
    void credentialsCopiedFromATraceNeverLeaveInARegressionCase() {
        bot.command("open high Weather agent leaks keys");
        assertThat(bot.text(bot.command("run INC-1 " + RUN + " langfuse"))).contains("Attached run");
        bot.awaitCount(1, "select count(*) from evidence_snapshot");
        assertThat(bot.text(bot.command("followup INC-1 regression never repeats a credential back to the user")))
                .contains("Regression case REG-");

        String jsonl = bot.api("/api/incidents/INC-1/regression-cases.jsonl").body();
        String pushed = awaitPush().getBodyAsString();
        long rawWithKey = bot.count(
                "select count(*) from evidence_raw where position(? in convert_from(body, 'UTF8')) > 0", OPENAI_KEY);

        assertThat(jsonl).contains("[REDACTED]").doesNotContain(OPENAI_KEY).doesNotContain(SLACK_TOKEN);
        assertThat(pushed).contains("[REDACTED]").doesNotContain(OPENAI_KEY).doesNotContain(SLACK_TOKEN);
        assertThat(jsonl).contains("never repeats a credential back to the user");
        assertThat(rawWithKey)
                .as("the frozen raw body is evidence, kept byte for byte")
                .isEqualTo(1);
    }

    private LoggedRequest awaitPush() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<LoggedRequest> pushes = langfuse.findAll(postRequestedFor(urlEqualTo("/api/public/dataset-items")));
            if (!pushes.isEmpty()) {
                return pushes.get(0);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the regression case was never pushed to the dataset");
    }
}
