package io.firebreak.bot.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Events API and interactivity requests built on Slack's own payloads in {@code reference/slack/}, with only
 * the fields a test needs changed, sent to a {@link TestBot} signed over their exact bytes.
 */
public final class SlackRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SlackRequests() {}

    /**
     * Slack's {@code reaction_added} example ({@code event_reaction_added.json}) as {@code type}
     * ({@code reaction_added} or {@code reaction_removed}), with an {@code event_id} (the example has none)
     * and the reacting user, reaction, channel and message ts replaced. The rest stays byte for byte.
     */
    public static String reaction(
            String type, String eventId, String user, String reaction, String channel, String ts) {
        String body = Fixtures.read("slack/event_reaction_added.json");
        body = replace(body, "\"type\": \"reaction_added\"", "\"type\": " + quote(type));
        body = replace(body, "\"user\": \"U27FFLNF4\"", "\"user\": " + quote(user));
        body = replace(body, "\"reaction\": \"grinning\"", "\"reaction\": " + quote(reaction));
        body = replace(body, "\"channel\": \"D2AQCJCQ2\"", "\"channel\": " + quote(channel));
        body = replace(body, "\"ts\": \"1477958101.000004\"", "\"ts\": " + quote(ts));
        return replace(
                body,
                "\"type\": \"event_callback\",",
                "\"type\": \"event_callback\",\n  \"event_id\": " + quote(eventId)
                        + ",\n  \"event_time\": 1477958240,");
    }

    /** Slack's documented {@code app_home_opened} envelope ({@code app_home_opened.json}) for {@code user} and {@code tab}. */
    public static String appHomeOpened(String eventId, String user, String tab) {
        String body = Fixtures.read("slack/app_home_opened.json");
        body = replace(body, "\"user\": \"U061F7AUR\"", "\"user\": " + quote(user));
        body = replace(body, "\"tab\": \"home\"", "\"tab\": " + quote(tab));
        return replace(body, "\"event_id\": \"Ev08MFMKH6\"", "\"event_id\": " + quote(eventId));
    }

    /**
     * Slack's captured message shortcut ({@code message_shortcut.json}) with the callback id, the user, the
     * channel, the message (author, text, ts) and the response_url replaced.
     */
    public static String messageShortcut(
            String callbackId, String user, String channel, String author, String text, String ts, String responseUrl) {
        ObjectNode payload = (ObjectNode) parse(Fixtures.read("slack/message_shortcut.json"));
        payload.put("callback_id", callbackId).put("message_ts", ts).put("response_url", responseUrl);
        ((ObjectNode) payload.get("user")).put("id", user);
        ((ObjectNode) payload.get("channel")).put("id", channel);
        ObjectNode message = (ObjectNode) payload.get("message");
        message.put("user", author).put("text", text).put("ts", ts);
        // Its rich_text blocks render the example's own text; the bot reads text, so they would only mislead.
        message.remove("blocks");
        return payload.toString();
    }

    /**
     * Slack's captured view submission ({@code view_submission.json}) of modal {@code callbackId} by
     * {@code user}, with {@code privateMetadata} and one static select's chosen option in its state.
     */
    public static String viewSubmission(
            String callbackId,
            String user,
            String privateMetadata,
            String blockId,
            String actionId,
            String selectedValue) {
        ObjectNode payload = (ObjectNode) parse(Fixtures.read("slack/view_submission.json"));
        ((ObjectNode) payload.get("user")).put("id", user);
        ObjectNode view = (ObjectNode) payload.get("view");
        view.put("callback_id", callbackId).put("private_metadata", privateMetadata);
        ObjectNode values = ((ObjectNode) view.get("state")).putObject("values");
        ObjectNode selected = values.putObject(blockId)
                .putObject(actionId)
                .put("type", "static_select")
                .putObject("selected_option");
        selected.putObject("text")
                .put("type", "plain_text")
                .put("text", "INC-" + selectedValue)
                .put("emoji", true);
        selected.put("value", selectedValue);
        return payload.toString();
    }

    /** POSTs an Events API body as Slack does: raw JSON, signed over its exact UTF-8 bytes, with extra headers. */
    public static HttpResponse<String> event(TestBot bot, String json, Map<String, String> headers) {
        long now = System.currentTimeMillis() / 1000;
        HttpRequest.Builder request = HttpRequest.newBuilder(bot.uri("/slack/events"))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .header("X-Slack-Request-Timestamp", String.valueOf(now))
                .header("X-Slack-Signature", new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(now, json))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return bot.send(request.build());
    }

    public static HttpResponse<String> event(TestBot bot, String json) {
        return event(bot, json, Map.of());
    }

    /** POSTs an interactivity payload as Slack does: {@code payload=<url-encoded JSON>}, signed. */
    public static HttpResponse<String> interaction(TestBot bot, String payloadJson) {
        return bot.postSigned("payload=" + Fixtures.encode(payloadJson), "application/x-www-form-urlencoded");
    }

    private static String replace(String body, String field, String replacement) {
        if (!body.contains(field)) {
            throw new IllegalStateException("the fixture has no " + field);
        }
        return body.replace(field, replacement);
    }

    private static String quote(String value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
