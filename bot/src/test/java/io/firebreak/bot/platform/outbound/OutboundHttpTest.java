package io.firebreak.bot.platform.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboundHttpTest {
    static final String TOKEN = "control-plane-token-9f8e7d";
    WireMockServer target;
    OutboundHttp http;

    @BeforeEach
    void start() {
        target = new WireMockServer(wireMockConfig().dynamicPort());
        target.start();
        http = new OutboundHttp(Duration.ofSeconds(2), Duration.ofMillis(500), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        target.stop();
    }

    private OutboundRequest pause() {
        return new OutboundRequest(
                "POST",
                URI.create(target.baseUrl() + "/workflows/refunds/pause"),
                Map.of(
                        "Authorization",
                        "Bearer " + TOKEN,
                        "Idempotency-Key",
                        "run-1",
                        "Content-Type",
                        "application/json"),
                Optional.of("{\"incident\":\"INC-1\",\"reason\":\"wrong refunds\"}"),
                Set.of(TOKEN));
    }

    @Test
    void successIsRecordedWithoutTheCredential() {
        target.stubFor(post("/workflows/refunds/pause")
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"paused\":true,\"echo\":\"" + TOKEN + "\"}")));

        Exchange exchange = http.send(pause(), 1024);

        assertThat(exchange.succeeded()).isTrue();
        assertThat(exchange.status()).contains(202);
        assertThat(exchange.describe("the agent control API")).isEqualTo("accepted by the agent control API (202)");
        target.verify(postRequestedFor(urlEqualTo("/workflows/refunds/pause"))
                .withHeader("Idempotency-Key", equalTo("run-1"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        ObjectNode json = exchange.toJson(new ObjectMapper(), 4096);
        assertThat(json.toString()).doesNotContain(TOKEN).contains("[REDACTED]").contains("wrong refunds");
        assertThat(json.path("response").path("status").asInt()).isEqualTo(202);
        assertThat(json.path("elapsed_ms").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void failuresAreClassifiedAndWordedForResponders() {
        target.stubFor(post("/workflows/refunds/pause").willReturn(aResponse().withStatus(401)));
        Exchange unauthorized = http.send(pause(), 1024);
        assertThat(unauthorized.failure()).isEqualTo(Exchange.Failure.UNAUTHORIZED);
        assertThat(unauthorized.failure().retryable()).isFalse();
        assertThat(unauthorized.describe("the agent control API"))
                .isEqualTo("credentials rejected by the agent control API (401)");

        target.stubFor(post("/workflows/refunds/pause").willReturn(aResponse().withStatus(503)));
        assertThat(http.send(pause(), 1024).failure()).isEqualTo(Exchange.Failure.SERVER_ERROR);

        target.stubFor(post("/workflows/refunds/pause")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
        Exchange limited = http.send(pause(), 1024);
        assertThat(limited.failure()).isEqualTo(Exchange.Failure.RATE_LIMITED);
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(7));

        target.stubFor(post("/workflows/refunds/pause").willReturn(aResponse().withFixedDelay(1500)));
        Exchange slow = http.send(pause(), 1024);
        assertThat(slow.failure()).isEqualTo(Exchange.Failure.TIMEOUT);
        assertThat(slow.describe("the agent control API")).isEqualTo("the agent control API did not answer in time");

        target.stubFor(
                post("/workflows/refunds/pause").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(http.send(pause(), 1024).failure()).isEqualTo(Exchange.Failure.CONNECTION);
    }

    @Test
    void refusedConnectionsAreConnectionFailures() {
        OutboundRequest request = pause();
        int port = target.port();
        target.stop();

        Exchange refused = http.send(request, 1024);

        assertThat(refused.failure()).isEqualTo(Exchange.Failure.CONNECTION);
        assertThat(refused.status()).isEmpty();
        assertThat(refused.describe("the agent control API")).startsWith("the agent control API could not be reached");
        assertThat(port).isPositive();
    }

    @Test
    void bodiesOverTheLimitAreCutAndMarked() {
        target.stubFor(post("/workflows/refunds/pause")
                .willReturn(aResponse().withStatus(200).withBody("x".repeat(5000))));

        Exchange exchange = http.send(pause(), 1000);

        assertThat(exchange.body()).hasSize(1000);
        assertThat(exchange.truncated()).isTrue();
    }

    @Test
    void retryPolicyBacksOffHonoursRetryAfterAndStops() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        target.stubFor(post("/workflows/refunds/pause").willReturn(aResponse().withStatus(500)));
        Exchange serverError = http.send(pause(), 10);
        target.stubFor(post("/workflows/refunds/pause")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20")));
        Exchange limited = http.send(pause(), 10);
        target.stubFor(post("/workflows/refunds/pause").willReturn(aResponse().withStatus(400)));
        Exchange badRequest = http.send(pause(), 10);

        assertThat(policy.next(1, serverError, now)).contains(now.plusSeconds(1));
        assertThat(policy.next(2, serverError, now)).contains(now.plusSeconds(2));
        assertThat(policy.next(3, serverError, now)).isEmpty();
        assertThat(policy.next(1, limited, now)).contains(now.plusSeconds(20));
        assertThat(policy.next(1, badRequest, now)).isEmpty();
    }

    @Test
    void redactorMasksKnownSecretsAndTokenShapes() {
        String text = "token xoxb-12345-abcdef and sk-lf-1234567890abcdef and Bearer abc.def.ghi123 and " + TOKEN;

        String redacted = Redactor.redact(text, Set.of(TOKEN));

        assertThat(redacted)
                .doesNotContain("xoxb-12345")
                .doesNotContain("sk-lf-")
                .doesNotContain("abc.def")
                .doesNotContain(TOKEN);
        assertThat(Redactor.headers(Map.of("X-API-Key", "k", "Accept", "json"), Set.of()))
                .containsEntry("X-API-Key", "[REDACTED]")
                .containsEntry("Accept", "json");
    }
}
