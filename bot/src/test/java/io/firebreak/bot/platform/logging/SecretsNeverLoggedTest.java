package io.firebreak.bot.platform.logging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import io.firebreak.bot.platform.config.ConfigException;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.bot.web.HmacSignature;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A bot run with distinctive credentials through everything that logs: commands, clicks, events, forged and stale
 * Slack requests, good and bad reports, the read API with right and wrong tokens, Slack's Web API failing every
 * way it can, a database that is not there, and configuration errors. Not one credential may appear in what is
 * logged, in either format, stack traces included.
 */
class SecretsNeverLoggedTest {
    static final String SIGNING_SECRET = "signing-secret-Zq81-never-logged";
    static final String BOT_TOKEN = "xoxb-5555-6666-bot-token-Tr07-never-logged";
    static final String API_TOKEN = "api-token-Kx22-never-logged";
    static final String INTAKE_SECRET = "intake-secret-Pm93-never-logged";
    static final String DB_PASSWORD = "db-password-Wv47-never-logged";
    static final String METRICS_TOKEN = "metrics-token-Jr64-never-logged";
    /** Credentials of containment and evidence, with the settings that make the bot read them. */
    static final Map<String, String> OTHER_CREDENTIALS = Map.ofEntries(
            Map.entry("AGENT_CONTROL_URL", "http://127.0.0.1:9/control"),
            Map.entry("AGENT_CONTROL_TOKEN", "agent-control-token-Lb55-never-logged"),
            Map.entry("LANGFUSE_HOST", "http://127.0.0.1:9"),
            Map.entry("LANGFUSE_PUBLIC_KEY", "pk-lf-langfuse-public-Qa18-never-logged"),
            Map.entry("LANGFUSE_SECRET_KEY", "sk-lf-langfuse-secret-Gd31-never-logged"),
            Map.entry("LANGSMITH_API_URL", "http://127.0.0.1:9"),
            Map.entry("LANGSMITH_API_KEY", "lsv2_langsmith_key_Hs62_never_logged"),
            Map.entry("OTEL_TRACES_URL", "http://127.0.0.1:9/api/traces/{traceId}"),
            Map.entry("OTEL_TRACES_HEADERS", "Authorization=Bearer otel-token-Nc18-never-logged"),
            Map.entry("PAGERDUTY_SERVICES", "agents"),
            Map.entry("PAGERDUTY_ROUTING_KEY_AGENTS", "R0UT1NGKEYPD7Xneverlogged00001"),
            Map.entry("PAGERDUTY_EVENTS_URL", "http://127.0.0.1:9"),
            Map.entry("PAGERDUTY_API_URL", "http://127.0.0.1:9"),
            Map.entry("PAGERDUTY_API_TOKEN", "pd-api-token-Rt44-never-logged"),
            Map.entry("PAGERDUTY_SCHEDULES", "PI7DH85"),
            Map.entry("PAGERDUTY_WEBHOOK_SECRETS", "pd-webhook-secret-Wh21-never-logged"));

    static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void noCredentialEverReachesTheLogs() throws Exception {
        List<String> secrets = new ArrayList<>(
                List.of(SIGNING_SECRET, BOT_TOKEN, API_TOKEN, INTAKE_SECRET, DB_PASSWORD, METRICS_TOKEN));
        OTHER_CREDENTIALS.values().stream()
                .filter(v -> v.contains("never"))
                .map(v -> v.substring(v.indexOf("never") - 12))
                .forEach(secrets::add);
        List<String> answers = new ArrayList<>();
        try (LogCapture logs = LogCapture.capture()) {
            runABotThroughEverythingThatLogs(answers);
            startWithoutADatabase(logs);
            answers.addAll(configurationProblems());

            assertThat(logs.size()).as("lines captured").isGreaterThan(20);
            String logged = logs.everything();
            assertThat(logged)
                    .contains("Slack chat.postMessage answered HTTP 500")
                    .contains("not reachable (connection refused)")
                    .contains("\"request_id\"")
                    .contains("\"incident\":\"INC-1\"");
            for (String secret : secrets) {
                assertThat(logs.linesContaining(secret))
                        .as("log lines holding %s", secret)
                        .isEmpty();
                assertThat(answers).as("what the bot answered").noneMatch(a -> a.contains(secret));
            }
        }
    }

    private void runABotThroughEverythingThatLogs(List<String> answers) {
        URI shared = URI.create(SharedPostgres.freshDatabase().jdbcUrl().substring("jdbc:".length()));
        Map<String, String> env = new HashMap<>(OTHER_CREDENTIALS);
        env.put(
                "DATABASE_URL",
                "jdbc:postgresql://" + shared.getHost() + ":" + shared.getPort() + shared.getPath()
                        + "?user=postgres&password=" + DB_PASSWORD);
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("FIREBREAK_API_TOKEN", API_TOKEN);
        env.put("FIREBREAK_INTAKE_SECRET", INTAKE_SECRET);
        env.put("FIREBREAK_METRICS_TOKEN", METRICS_TOKEN);
        try (TestBot bot = TestBot.startSigningWith(env, SIGNING_SECRET)) {
            answers.add(bot.command("open high Refund agent sent wrong refunds").body());
            answers.add(bot.get("/metrics", java.util.Optional.of(METRICS_TOKEN + "-wrong"))
                    .body());
            assertThat(bot.get("/metrics", java.util.Optional.of(METRICS_TOKEN)).statusCode())
                    .isEqualTo(200);
            // The token is really in use: Slack's stub sees it.
            assertThat(bot.slack().awaitCalls("chat.postMessage", 1).get(0).get("_authorization"))
                    .isEqualTo("Bearer " + BOT_TOKEN);
            for (String text : List.of(
                    "page INC-1 -- paging with every credential set",
                    "oncall",
                    "note INC-1 refunds paused by hand",
                    "show INC-1",
                    "list",
                    "status INC-1 investigating",
                    "lead INC-1 <@U024BE7LH|bob>",
                    "opne typo",
                    "help",
                    "show INC-404")) {
                answers.add(bot.command(text).body());
            }
            answers.add(bot.postSigned(
                            SlackPayloads.button(
                                    "incident_resolve",
                                    "INC-1",
                                    TestBot.USER,
                                    bot.slack().responseUrl("r")),
                            FORM)
                    .body());
            answers.add(
                    bot.postSigned(SlackRequests.appHomeOpened("Ev0SECRETS1", TestBot.USER, "home"), "application/json")
                            .body());

            long now = System.currentTimeMillis() / 1000;
            String body = Fixtures.slashCommand("/incident", "open high forged", TestBot.USER, TestBot.CHANNEL);
            answers.add(bot.postToSlackEvents(body, FORM, now, "v0=" + "0".repeat(64))
                    .body());
            answers.add(bot.postToSlackEvents(
                            body,
                            FORM,
                            now - 600,
                            new io.firebreak.bot.slack.SlackSigner(new Secret(SIGNING_SECRET)).sign(now - 600, body))
                    .body());

            String report =
                    "{\"description\":\"The agent promised a refund it cannot give\",\"reporter\":\"dana@example.com\",\"form\":\"widget\"}";
            String signature = new HmacSignature(new Secret(INTAKE_SECRET), "v1").sign(now, report);
            answers.add(bot.report(report, String.valueOf(now), signature).body());
            answers.add(bot.report(report, String.valueOf(now), "v1=" + "f".repeat(64))
                    .body());
            answers.add(bot.report(report, null, null).body());
            answers.add(bot.report(
                            "{not json",
                            String.valueOf(now),
                            new HmacSignature(new Secret(INTAKE_SECRET), "v1").sign(now, "{not json"))
                    .body());

            answers.add(bot.get("/api/incidents", Optional.of(API_TOKEN)).body());
            answers.add(bot.get("/api/incidents", Optional.of("wrong-token-0123456789"))
                    .body());
            answers.add(
                    bot.get("/api/incidents/INC-404", Optional.of(API_TOKEN)).body());
            answers.add(bot.get("/healthz", Optional.empty()).body());

            slackFailsEveryWay(bot, answers);
        }
    }

    private void slackFailsEveryWay(TestBot bot, List<String> answers) {
        var slack = bot.slack().wiremock();
        int before = bot.slack().calls("chat.postMessage").size();
        slack.stubFor(post("/api/chat.postMessage")
                .willReturn(aResponse().withStatus(500).withBody("oops")));
        answers.add(bot.command("open medium Agent quoted an old price").body());
        // Wait for a post made after the stub changed, so the bot has met the 500 before the next stub replaces it.
        bot.slack().awaitCalls("chat.postMessage", before + 1);
        io.firebreak.bot.testing.SlackApiStub.sleep(300);
        slack.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        answers.add(bot.command("note INC-1 the update fails with invalid_auth").body());
        slack.stubFor(post("/api/chat.postMessage")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));
        answers.add(bot.command("open low Rate limited card").body());
        slack.stubFor(post("/api/views.publish").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        answers.add(bot.postSigned(SlackRequests.appHomeOpened("Ev0SECRETS2", TestBot.USER, "home"), "application/json")
                .body());
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        answers.add(bot.command("status INC-1 correcting").body());
        bot.slack().awaitCalls("views.publish", 2);
        bot.slack().awaitCalls("chat.update", 1);
    }

    /** A replica whose database is not reachable yet: the retry lines name the database, never its password. */
    private void startWithoutADatabase(LogCapture logs) throws Exception {
        int closed = TestBot.freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/firebreak?user=postgres&password=" + DB_PASSWORD;
        try (TestBot bot =
                TestBot.launch(Map.of("DATABASE_URL", url, "SLACK_BOT_TOKEN", BOT_TOKEN), Duration.ofMillis(100))) {
            logs.await(line -> line.path("message").asText().contains("not reachable")
                    && line.path("message").asText().contains(":" + closed + "/"));
        }
    }

    /** Configuration errors name the variable, never its value; they are printed where the logs go. */
    private List<String> configurationProblems() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN.replace("xoxb-", "xoxp-"));
        env.put("FIREBREAK_API_TOKEN", API_TOKEN.substring(0, 10));
        env.put("FIREBREAK_INTAKE_SECRET", INTAKE_SECRET.substring(0, 12));
        env.put("DATABASE_URL", "postgres://postgres:" + DB_PASSWORD + "@/firebreak");
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        List<String> problems = new ArrayList<>();
        assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(4);
            problems.addAll(e.problems());
            problems.add(e.getMessage());
        });
        env.put("DATABASE_URL", "postgres://postgres:" + DB_PASSWORD + "@db.internal:5432/fire break");
        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> problems.add(e.getMessage()));
        org.slf4j.LoggerFactory.getLogger(SecretsNeverLoggedTest.class)
                .error("configuration problems, as Main prints them:\n{}", String.join("\n", problems));
        return problems;
    }
}
