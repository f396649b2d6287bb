package io.firebreak.bot.paging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock as PagerDuty: the Events API ({@code POST /v2/enqueue}, answering the spec's 202 example unless a test says
 * otherwise) and the REST API ({@code GET /oncalls}), both on one server.
 */
final class PagerDutyStub implements AutoCloseable {
    /** Obviously fake routing keys (Events API v2 integration keys are 32 letters and digits). */
    static final String AGENTS_KEY = "R0UT1NGKEYPLANTEDF0RAGENTS000001";

    static final String PAYMENTS_KEY = "R0UT1NGKEYPLANTEDF0RPAYMENTS0002";
    static final String API_TOKEN = "pd-token-planted-for-tests";
    static final String WEBHOOK_SECRET = "pd-webhook-secret-planted-for-tests";
    static final String SCHEDULE = "PI7DH85";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    private final ObjectMapper mapper = new ObjectMapper();

    PagerDutyStub() {
        server.start();
        server.stubFor(post("/v2/enqueue").atPriority(10).willReturn(accepted()));
    }

    /** The Events API's documented 202 answer. */
    static ResponseDefinitionBuilder accepted() {
        return aResponse()
                .withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody(reference("response_202_openapi_example.json"));
    }

    static String reference(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/reference/pagerduty/" + name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WireMockServer wiremock() {
        return server;
    }

    /** A bot's environment paging {@code agents} and {@code payments} here, fast retries, plus {@code extra}. */
    Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PAGERDUTY_SERVICES", "agents,payments");
        env.put("PAGERDUTY_ROUTING_KEY_AGENTS", AGENTS_KEY);
        env.put("PAGERDUTY_ROUTING_KEY_PAYMENTS", PAYMENTS_KEY);
        env.put("PAGERDUTY_EVENTS_URL", server.baseUrl());
        env.put("PAGERDUTY_API_URL", server.baseUrl());
        env.put("PAGERDUTY_RETRY_BACKOFF", "PT0.05S");
        env.put("PAGERDUTY_TIMEOUT", "PT0.5S");
        env.put("PAGERDUTY_WEBHOOK_SECRETS", WEBHOOK_SECRET);
        env.put("FIREBREAK_PUBLIC_URL", "https://firebreak.example.com");
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    /** Every event sent, oldest first. */
    List<LoggedRequest> events() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/v2/enqueue")));
    }

    /** Waits until {@code count} events were sent, then returns their bodies. */
    List<JsonNode> awaitEvents(int count) {
        Await.until(count + " PagerDuty events", () -> events().size() >= count);
        return events().stream().map(r -> json(r.getBodyAsString())).toList();
    }

    /** Answers {@code GET /oncalls} with {@code body}. */
    void onCall(String body) {
        server.stubFor(get(urlPathEqualTo("/oncalls"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /**
     * The REST API's documented {@code /oncalls} example, with the user given {@code userId}, {@code name} and the
     * {@code email} that {@code include[]=users} adds, and the shift starting at {@code start}.
     */
    String onCallAnswer(String userId, String name, String email, String start) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                    mapper.readTree(reference("oncalls_response_example.json"));
            com.fasterxml.jackson.databind.node.ObjectNode oncall = (com.fasterxml.jackson.databind.node.ObjectNode)
                    root.path("oncalls").get(0);
            com.fasterxml.jackson.databind.node.ObjectNode user =
                    (com.fasterxml.jackson.databind.node.ObjectNode) oncall.path("user");
            user.put("id", userId).put("summary", name).put("name", name).put("email", email);
            oncall.put("start", start).put("end", "2030-03-07T15:28:51-05:00");
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
