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
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.TestBot;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One redactor for everything that leaves Firebreak: a trace carrying a credential of every known shape is attached,
 * summarized in the thread, shown on the card, written into a postmortem, exported, read through the API, pushed to a
 * dataset as a regression case and logged; none of the credentials is found anywhere outside the frozen raw body.
 */
class OutboundRedactionTest {
    static final String RUN = "fee618f96dc31e0ca38b2f7b26eb8b29";
    static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One credential of each shape, generated for this run: random, so no committed text looks like a real key. The
     * value is what must not leak; for bearer tokens and PEM blocks, the secret part of what is planted.
     */
    static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static final Map<String, String> PLANTED = new LinkedHashMap<>();

    static {
        plant("openai", "sk-proj-" + chars(40));
        plant("anthropic", "sk-ant-api03-" + chars(40));
        plant("slack bot", "xoxb-" + digits(12) + "-" + digits(13) + "-" + chars(24));
        plant("slack user", "xoxp-" + digits(12) + "-" + digits(13) + "-" + chars(24));
        plant("slack app", "xapp-1-A" + chars(10) + "-" + digits(13) + "-" + chars(40));
        plant("aws", "AKIA" + upper(16));
        plant("github", "ghp_" + chars(36));
        String bearer = chars(30) + "7";
        SECRETS.put("bearer", bearer);
        PLANTED.put("bearer", "Authorization: Bearer " + bearer);
        String jwt = "eyJ" + chars(20) + ".eyJ" + chars(30) + "." + chars(43);
        plant("jwt", jwt);
        byte[] key = new byte[48];
        RANDOM.nextBytes(key);
        String body = Base64.getEncoder().encodeToString(key);
        String label = "PRIVATE" + " KEY-----"; // built here, so no committed text holds a PEM marker
        SECRETS.put("pem", body);
        PLANTED.put("pem", "-----BEGIN " + label + "\\n" + body + "\\n-----END " + label);
    }

    private static void plant(String name, String value) {
        SECRETS.put(name, value);
        PLANTED.put(name, value);
    }

    private static String chars(int n) {
        return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n);
    }

    private static String upper(int n) {
        return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n);
    }

    private static String digits(int n) {
        return pick("0123456789", n);
    }

    private static String pick(String alphabet, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    WireMockServer langfuse;
    TestBot bot;
    LogCapture logs;

    @BeforeEach
    void start() {
        langfuse = new WireMockServer(wireMockConfig().dynamicPort());
        langfuse.start();
        String all = String.join(" ", PLANTED.values());
        String trace = Fixtures.read("agent-traces/langfuse/openai-agents-2025-09-30.trace.json")
                .replace("What's the weather in Tokyo?", "What's the weather in Tokyo? My keys: " + all)
                .replace("The weather in Tokyo is sunny.", "The weather in Tokyo is sunny. I used " + all);
        langfuse.stubFor(get("/api/public/traces/" + RUN)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(trace)));
        langfuse.stubFor(post("/api/public/dataset-items")
                .willReturn(okJson("{\"id\": \"firebreak-REG-1-inc-1\", \"status\": \"ACTIVE\"}")));
        logs = LogCapture.capture();
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
        logs.close();
    }

    @Test
    void noCredentialFromATraceLeavesFirebreakOutsideTheFrozenRawBody() {
        List<String> out = new ArrayList<>();
        out.add(bot.command("open high Weather agent leaks keys").body());
        out.add(bot.command("run INC-1 " + RUN + " langfuse").body());
        bot.awaitCount(1, "select count(*) from evidence_snapshot");
        awaitSlack("/api/chat.postMessage", "Evidence frozen");
        out.add(bot.command("show INC-1").body());
        out.add(bot.command("followup INC-1 regression never repeats a credential back to the user")
                .body());
        out.add(bot.command("postmortem INC-1").body());
        awaitSlack("/api/files.completeUploadExternal", "Postmortem of");
        awaitDatasetPush();
        // A log line that carries one, as a careless log statement would.
        LoggerFactory.getLogger(OutboundRedactionTest.class).info("trace said {}", String.join(" ", PLANTED.values()));

        for (String path : List.of(
                "/api/incidents/INC-1",
                "/api/incidents/INC-1/timeline",
                "/api/incidents/INC-1/runs",
                "/api/incidents/INC-1/runs/" + RUN,
                "/api/incidents/INC-1/postmortem.md",
                "/api/incidents/INC-1/regression-cases.jsonl",
                "/api/incidents/INC-1/export")) {
            out.add(path + " " + bot.api(path).body());
        }
        for (ServeEvent event : bot.slack().wiremock().getAllServeEvents()) {
            out.add(event.getRequest().getUrl() + " "
                    + URLDecoder.decode(event.getRequest().getBodyAsString(), StandardCharsets.UTF_8));
        }
        for (ServeEvent event : langfuse.getAllServeEvents()) {
            out.add(event.getRequest().getUrl() + " " + event.getRequest().getBodyAsString());
        }
        out.add(logs.everything());
        out.add(bot.string("select string_agg(details::text, ' ') from timeline_event"));
        String everything = String.join("\n", out);

        assertThat(everything)
                .contains("[REDACTED]")
                .contains("Evidence frozen")
                .contains("Postmortem");
        SECRETS.forEach((shape, secret) -> assertThat(everything)
                .as("a %s credential left Firebreak", shape)
                .doesNotContain(secret));
        for (String secret : SECRETS.values()) {
            assertThat(bot.count(
                            "select count(*) from evidence_raw where position(? in convert_from(body, 'UTF8')) > 0",
                            secret))
                    .as("the frozen raw body is evidence, kept byte for byte")
                    .isEqualTo(1);
        }
    }

    private void awaitSlack(String url, String text) {
        await(
                "Slack to get " + text,
                () -> bot.slack().wiremock().getAllServeEvents().stream()
                        .anyMatch(e -> e.getRequest().getUrl().startsWith(url)
                                && URLDecoder.decode(e.getRequest().getBodyAsString(), StandardCharsets.UTF_8)
                                        .contains(text)));
    }

    private void awaitDatasetPush() {
        await(
                "the dataset push",
                () -> !langfuse.findAll(postRequestedFor(urlEqualTo("/api/public/dataset-items")))
                        .isEmpty());
    }

    private static void await(String what, java.util.function.BooleanSupplier done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
