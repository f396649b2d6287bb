package io.firebreak.bot.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock standing in for Slack's Web API, answering with Slack's documented example responses, and
 * reading back what the bot sent.
 */
public final class SlackApiStub implements AutoCloseable {
    /** Slack's documented chat.postMessage success example. */
    public static final String POST_MESSAGE_OK = """
            {"ok": true, "channel": "C123ABC456", "ts": "1503435956.000247",
             "message": {"text": "Here's a message for you", "type": "message", "subtype": "bot_message", "ts": "1503435956.000247"}}""";

    /**
     * Slack's documented conversations.history example (slack-ruby/slack-api-ref
     * methods/conversations/conversations.history.json, which scrapes Slack's method reference).
     */
    public static final String HISTORY_OK = """
            {"ok": true, "messages": [
              {"type": "message", "user": "U012AB3CDE", "text": "I find you punny and would like to smell your nose letter", "ts": "1512085950.000216"},
              {"type": "message", "user": "U061F7AUR", "text": "What, you want to smell my shoes better?", "ts": "1512104434.000490"}],
             "has_more": true, "pin_count": 0, "response_metadata": {"next_cursor": "bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz"}}""";
    /** Slack's documented chat.getPermalink example (same source). */
    public static final String PERMALINK_OK = """
            {"ok": true, "channel": "C1H9RESGA", "permalink": "https://ghostbusters.slack.com/archives/C1H9RESGA/p135854651500008"}""";
    /** Slack's documented views.open success example (reference/slack/web_api/openapi_examples.json). */
    public static final String VIEWS_OPEN_OK = """
            {"ok": true, "view": {"app_id": "AA4928AQ", "blocks": [], "bot_id": "BA13894H", "callback_id": "identify_your_modals",
             "clear_on_close": false, "external_id": "", "hash": "156772938.1827394", "id": "VMHU10V25", "notify_on_close": false,
             "private_metadata": "Shh it is a secret", "root_view_id": "VMHU10V25", "state": {"values": {}},
             "submit": {"text": "Create", "type": "plain_text"}, "team_id": "T8N4K1JN",
             "title": {"text": "Quite a plain modal", "type": "plain_text"}, "type": "modal"}}""";
    /** Slack's documented views.publish success example (reference/slack/web_api/openapi_examples.json). */
    public static final String VIEWS_PUBLISH_OK = """
            {"ok": true, "view": {"app_id": "AA4928AQ", "blocks": [{"block_id": "2WGp9", "text": {"text": "A simple section with some sample sentence.",
             "type": "mrkdwn", "verbatim": false}, "type": "section"}], "bot_id": "BA13894H", "callback_id": "identify_your_home_tab",
             "clear_on_close": false, "close": null, "external_id": "", "hash": "156772938.1827394", "id": "VMHU10V25",
             "notify_on_close": false, "previous_view_id": null, "private_metadata": "Shh it is a secret", "root_view_id": "VMHU10V25",
             "state": {"values": {}}, "submit": null, "team_id": "T8N4K1JN", "type": "home"}}""";

    private static final String RESPONSE_URL_PATH = "/response-url/";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    private final ObjectMapper mapper = new ObjectMapper();
    /** Answers the bot gave to Slack's own requests, as {where, body}. */
    private final List<String[]> answers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Each stubbed Web API method's answer when nothing else is set up: Slack's documented example, or the smallest
     * answer of the documented shape.
     */
    public static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("auth.test", """
                    {"ok": true, "url": "https://subarachnoid.slack.com/", "team": "Subarachnoid Workspace", "user": "bot",
                     "team_id": "T0G9PQBBK", "user_id": "W23456789", "bot_id": "BZYBOTHED"}"""),
            Map.entry("chat.postMessage", POST_MESSAGE_OK),
            Map.entry("chat.update", """
                    {"ok": true, "channel": "C123ABC456", "ts": "1401383885.000061", "text": "Updated"}"""),
            Map.entry("chat.postEphemeral", "{\"ok\": true, \"message_ts\": \"1502210682.580145\"}"),
            Map.entry("conversations.create", """
                    {"ok": true, "channel": {"id": "C0EAQDV4Z", "name": "endeavor", "is_channel": true, "created": 1504554479}}"""),
            Map.entry("conversations.invite", "{\"ok\": true, \"channel\": {\"id\": \"C0EAQDV4Z\"}}"),
            Map.entry(
                    "files.completeUploadExternal",
                    "{\"ok\": true, \"files\": [{\"id\": \"F0POSTMORTEM\", \"title\": \"postmortem\"}]}"),
            Map.entry("usergroups.users.list", "{\"ok\": true, \"users\": []}"),
            Map.entry("conversations.history", HISTORY_OK),
            Map.entry("conversations.replies", "{\"ok\": false, \"error\": \"thread_not_found\"}"),
            Map.entry("chat.getPermalink", PERMALINK_OK),
            Map.entry("views.open", VIEWS_OPEN_OK),
            Map.entry("views.publish", VIEWS_PUBLISH_OK));

    public SlackApiStub() {
        server.start();
        ANSWERS.forEach(
                (method, answer) -> server.stubFor(post("/api/" + method).willReturn(okJson(answer))));
        server.stubFor(post("/api/files.getUploadURLExternal")
                .willReturn(okJson("{\"ok\": true, \"upload_url\": \"" + server.baseUrl()
                        + "/upload/F0POSTMORTEM\", \"file_id\": \"F0POSTMORTEM\"}")));
        server.stubFor(post("/upload/F0POSTMORTEM").willReturn(ok("OK - 1024")));
        server.stubFor(post(urlPathMatching(RESPONSE_URL_PATH + ".*")).willReturn(ok()));
    }

    /** A response_url for an interaction payload, answered here; read what was posted with {@link #responses}. */
    public String responseUrl(String name) {
        return server.baseUrl() + RESPONSE_URL_PATH + name;
    }

    /** The JSON bodies posted to {@link #responseUrl} {@code name}, oldest first. */
    public List<JsonNode> responses(String name) {
        return server.findAll(postRequestedFor(urlEqualTo(RESPONSE_URL_PATH + name))).stream()
                .map(r -> json(r.getBodyAsString()))
                .toList();
    }

    /** Waits until {@code count} answers were posted to {@link #responseUrl} {@code name}, then returns them. */
    public List<JsonNode> awaitResponses(String name, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> posted = responses(name);
            if (posted.size() >= count) {
                return posted;
            }
            sleep(20);
        }
        throw new AssertionError(
                responses(name).size() + " answers were posted to response_url " + name + ", expected " + count);
    }

    /**
     * Makes Slack hold a message: {@code conversations.history} with {@code latest=ts} in {@code channel}
     * returns it, shaped like Slack's documented example, and {@code chat.getPermalink} gives its link.
     */
    public void message(String channel, String ts, String user, String text) {
        server.stubFor(post("/api/conversations.history")
                .withRequestBody(containing("channel=" + channel))
                .withRequestBody(containing("latest=" + ts))
                .willReturn(okJson(history(messageJson(ts, user, text)))));
        permalink(channel, ts);
    }

    /** The link {@link #message} makes {@code chat.getPermalink} return for a message. */
    public static String permalinkOf(String channel, String ts) {
        return "https://firebreak-test.slack.com/archives/" + channel + "/p" + ts.replace(".", "");
    }

    private void permalink(String channel, String ts) {
        ObjectNode body = mapper.createObjectNode()
                .put("ok", true)
                .put("channel", channel)
                .put("permalink", permalinkOf(channel, ts));
        server.stubFor(post("/api/chat.getPermalink")
                .withRequestBody(containing("channel=" + channel))
                .withRequestBody(containing("message_ts=" + ts))
                .willReturn(okJson(body.toString())));
    }

    /** A message as {@code conversations.history} and {@code conversations.replies} list it. */
    public ObjectNode messageJson(String ts, String user, String text) {
        return mapper.createObjectNode()
                .put("type", "message")
                .put("user", user)
                .put("text", text)
                .put("ts", ts);
    }

    /** A {@code conversations.history} answer holding {@code messages}, shaped like Slack's documented example. */
    public String history(ObjectNode... messages) {
        ObjectNode body = mapper.createObjectNode().put("ok", true);
        body.putArray("messages").addAll(List.of(messages));
        body.put("has_more", true).put("pin_count", 0);
        body.putObject("response_metadata").put("next_cursor", "bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz");
        return body.toString();
    }

    public WireMockServer wiremock() {
        return server;
    }

    /** The base URL to give the bot as {@code SLACK_API_URL}. */
    public String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    /** The {@code text} of each answer posted to {@link #responseUrl} {@code name}; waits for at least {@code count}. */
    public List<String> awaitResponseTexts(String name, int count) {
        return awaitResponses(name, count).stream()
                .map(r -> r.path("text").asText())
                .toList();
    }

    /** Form fields of every call to {@code method}, oldest first. */
    public List<Map<String, String>> calls(String method) {
        return server.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                .map(SlackApiStub::form)
                .toList();
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
        throw new AssertionError(
                "Slack " + method + " was called " + calls(method).size() + " times, expected " + count);
    }

    /** Waits until some call to {@code method} matches {@code test}, then returns it. */
    public Map<String, String> awaitCall(String method, java.util.function.Predicate<Map<String, String>> test) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            java.util.Optional<Map<String, String>> match =
                    calls(method).stream().filter(test).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            sleep(25);
        }
        throw new AssertionError("no matching call to Slack " + method + " among "
                + calls(method).size());
    }

    /**
     * Waits until a call to {@code method} whose raw (form-encoded) body contains {@code text} arrives, then returns the
     * whole request: for its headers, such as the bot token it carried.
     */
    public LoggedRequest awaitRequest(String method, String text) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            for (LoggedRequest request : server.findAll(postRequestedFor(urlEqualTo("/api/" + method)))) {
                if (request.getBodyAsString().contains(text)) {
                    return request;
                }
            }
            sleep(25);
        }
        throw new AssertionError("no call to Slack " + method + " with " + text + " among "
                + server.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
                        .map(r -> r.getBodyAsString()
                                .substring(0, Math.min(300, r.getBodyAsString().length())))
                        .toList());
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
            fields.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
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

    /**
     * Records what the bot answered a Slack request with (a slash command's or interaction's HTTP answer), so
     * {@link #close} checks it against Block Kit's rules with everything posted to the Web API.
     */
    public void recordAnswer(String where, String body) {
        answers.add(new String[] {where, body});
    }

    /**
     * Every payload the bot sent to Slack so far (Web API calls, response_url posts, recorded answers) checked against
     * Block Kit's documented rules: the rules each one breaks, empty when all would be accepted.
     */
    public List<String> blockKitProblems() {
        BlockKitConformance check = new BlockKitConformance();
        for (com.github.tomakehurst.wiremock.stubbing.ServeEvent event : server.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            String path = request.getUrl();
            if (path.startsWith(RESPONSE_URL_PATH)) {
                JsonNode body = lenient(request.getBodyAsString());
                if (body != null) {
                    check.message("response_url " + path, body.get("text"), body.get("blocks"));
                }
            } else if (path.startsWith("/api/chat.") || path.startsWith("/api/views.")) {
                Map<String, String> fields = form(request);
                String method = path.substring("/api/".length());
                if (fields.containsKey("view")) {
                    JsonNode view = lenient(fields.get("view"));
                    check.view(method, view == null ? mapper.createObjectNode() : view);
                } else {
                    check.message(
                            method,
                            fields.containsKey("text") ? mapper.getNodeFactory().textNode(fields.get("text")) : null,
                            fields.containsKey("blocks") ? lenient(fields.get("blocks")) : null);
                }
            }
        }
        for (String[] answer : answers) {
            JsonNode body = lenient(answer[1]);
            if (body != null && body.isObject() && body.has("view")) {
                check.view(answer[0], body.get("view"));
            } else if (body != null && body.isObject()) {
                check.message(answer[0], body.get("text"), body.get("blocks"));
            }
        }
        return check.problems();
    }

    private JsonNode lenient(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** Stops the stand-in, failing when anything the bot sent would have been refused by Slack (see {@link BlockKitConformance}). */
    @Override
    public void close() {
        List<String> problems;
        try {
            problems = blockKitProblems();
        } finally {
            server.stop();
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Slack would refuse " + problems.size()
                    + " part(s) of what the bot sent (Block Kit limits):\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
    }
}
