package io.firebreak.bot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * WireMock standing in for Slack's Web API, answering with Slack's documented example responses, and
 * reading back what the bot sent.
 */
public final class SlackApiStub implements AutoCloseable {
    /** Slack's documented chat.postMessage success example. */
    public static final String POST_MESSAGE_OK = """
            {"ok": true, "channel": "C123ABC456", "ts": "1503435956.000247",
             "message": {"text": "Here's a message for you", "type": "message", "subtype": "bot_message", "ts": "1503435956.000247"}}""";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    private final ObjectMapper mapper = new ObjectMapper();

    public SlackApiStub() {
        server.start();
        server.stubFor(post("/api/auth.test").willReturn(okJson("""
                {"ok": true, "url": "https://subarachnoid.slack.com/", "team": "Subarachnoid Workspace", "user": "bot",
                 "team_id": "T0G9PQBBK", "user_id": "W23456789", "bot_id": "BZYBOTHED"}""")));
        server.stubFor(post("/api/chat.postMessage").willReturn(okJson(POST_MESSAGE_OK)));
        server.stubFor(post("/api/chat.update").willReturn(okJson("""
                {"ok": true, "channel": "C123ABC456", "ts": "1401383885.000061", "text": "Updated"}""")));
    }

    public WireMockServer wiremock() {
        return server;
    }

    /** The base URL to give the bot as {@code SLACK_API_URL}. */
    public String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    /** Form fields of every call to {@code method}, oldest first. */
    public List<Map<String, String>> calls(String method) {
        return server.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                .map(SlackApiStub::form).toList();
    }

    /** Waits until {@code method} was called at least {@code count} times, then returns the calls. */
    public List<Map<String, String>> awaitCalls(String method, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, String>> calls = calls(method);
            if (calls.size() >= count) {
                return calls;
            }
            sleep(20);
        }
        throw new AssertionError("Slack " + method + " was called " + calls(method).size() + " times, expected " + count);
    }

    /** Parses a JSON-valued form field such as {@code blocks}. */
    public JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        fields.put("_authorization", request.getHeader("Authorization"));
        return fields;
    }

    /** Sleeps, keeping the thread's interrupt. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
