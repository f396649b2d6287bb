package io.firebreak.bot.containment;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.testing.SlackApiStub;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock as the generic agent control API that the shipped catalog calls: every action answers 200 unless a test
 * says otherwise, and {@code GET /prompts/{id}} reports version 40 live.
 */
final class AgentControlStub implements AutoCloseable {
    static final String TOKEN = "act-live-0123456789abcdef";
    static final String SHIPPED_CATALOG = "../manifests/containment-actions.yml";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    AgentControlStub() {
        server.start();
        server.stubFor(any(urlPathMatching("/(workflows|knowledge-sources|prompts)/.*"))
                .atPriority(10)
                .willReturn(okJson("{\"ok\": true}")));
        server.stubFor(
                get(urlPathMatching("/prompts/[^/]+")).atPriority(9).willReturn(okJson("{\"live_version\": \"40\"}")));
    }

    WireMockServer wiremock() {
        return server;
    }

    /**
     * The environment for a bot using the shipped catalog against this stub, with short timeouts and backoff so
     * failure tests run fast, plus {@code extra}.
     */
    Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("FIREBREAK_ACTIONS", SHIPPED_CATALOG);
        env.put("AGENT_CONTROL_URL", server.baseUrl());
        env.put("AGENT_CONTROL_TOKEN", TOKEN);
        env.put("AGENT_CONTROL_TIMEOUT", "PT0.5S");
        env.put("AGENT_CONTROL_RETRY_BACKOFF", "PT0.05S");
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    /** Answers {@code first}, then {@code then} for every later call to {@code method path}. */
    void answerFirstThen(
            RequestMethod method, String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        String scenario = method + " " + path;
        server.stubFor(request(method, path)
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first)
                .willSetStateTo("answered once"));
        server.stubFor(request(method, path)
                .inScenario(scenario)
                .whenScenarioStateIs("answered once")
                .willReturn(then));
    }

    void answer(RequestMethod method, String path, ResponseDefinitionBuilder response) {
        server.stubFor(request(method, path).willReturn(response));
    }

    private static MappingBuilder request(RequestMethod method, String path) {
        return com.github.tomakehurst.wiremock.client.WireMock.request(method.getName(), urlPathEqualTo(path));
    }

    List<LoggedRequest> calls(RequestMethod method, String path) {
        return server.findAll(new RequestPatternBuilder(method, urlPathEqualTo(path)));
    }

    /** Every request received, oldest first. */
    List<LoggedRequest> all() {
        return server.findAll(new RequestPatternBuilder(RequestMethod.ANY, urlPathMatching(".*")));
    }

    /** Waits until {@code method path} was called {@code count} times, then returns the calls. */
    List<LoggedRequest> awaitCalls(RequestMethod method, String path, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<LoggedRequest> calls = calls(method, path);
            if (calls.size() >= count) {
                return calls;
            }
            SlackApiStub.sleep(20);
        }
        throw new AssertionError(
                method + " " + path + " was called " + calls(method, path).size() + " times, expected " + count);
    }

    @Override
    public void close() {
        server.stop();
    }
}
