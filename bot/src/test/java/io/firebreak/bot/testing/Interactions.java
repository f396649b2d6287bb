package io.firebreak.bot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Interactivity requests built from Slack's own payloads in {@code reference/slack/}, changed only in the fields a
 * test needs, and encoded as Slack sends them: {@code payload=} and the URL-encoded JSON.
 */
public final class Interactions {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicLong TRIGGERS = new AtomicLong(1000);

    private Interactions() {}

    /**
     * A button click on a message ({@code block_actions_message_container.json}) by {@code user}, in
     * {@code channel}, on the message {@code messageTs}, with a fresh trigger id.
     */
    public static String buttonClick(String actionId, String value, String user, String channel, String messageTs) {
        ObjectNode payload = read("slack/block_actions_message_container.json");
        ((ObjectNode) payload.path("user")).put("id", user);
        payload.put("trigger_id", "111.222." + TRIGGERS.incrementAndGet());
        ObjectNode container = (ObjectNode) payload.path("container");
        container.put("message_ts", messageTs).put("channel_id", channel).put("is_ephemeral", false);
        ((ObjectNode) payload.path("channel")).put("id", channel);
        ObjectNode action = (ObjectNode) payload.path("actions").get(0);
        action.put("action_id", actionId).put("value", value).put("block_id", "containment");
        return form(payload);
    }

    /** The trigger id of a body made by {@link #buttonClick}. */
    public static String triggerId(String body) {
        return read(body.substring("payload=".length()), true)
                .path("trigger_id")
                .asText();
    }

    /**
     * A modal submission ({@code view_submission.json}) by {@code user} of the view {@code viewId} with
     * {@code callbackId} and {@code privateMetadata}; {@code values} maps block id to the element's state, e.g.
     * {@link #text} or {@link #option}, each under the action id {@code value}.
     */
    public static String viewSubmission(
            String callbackId, String viewId, String privateMetadata, String user, Map<String, JsonNode> values) {
        ObjectNode payload = read("slack/view_submission.json");
        ((ObjectNode) payload.path("user")).put("id", user);
        ObjectNode view = (ObjectNode) payload.path("view");
        view.put("id", viewId).put("callback_id", callbackId).put("private_metadata", privateMetadata);
        ObjectNode state = MAPPER.createObjectNode();
        values.forEach((block, element) -> state.putObject(block).set("value", element));
        ((ObjectNode) view.path("state")).set("values", state);
        return form(payload);
    }

    /** A {@code plain_text_input}'s state. */
    public static JsonNode text(String value) {
        return MAPPER.createObjectNode().put("type", "plain_text_input").put("value", value);
    }

    /** A {@code static_select}'s state with {@code value} chosen. */
    public static JsonNode option(String value) {
        ObjectNode node = MAPPER.createObjectNode().put("type", "static_select");
        ObjectNode selected = node.putObject("selected_option");
        selected.putObject("text").put("type", "plain_text").put("text", value);
        selected.put("value", value);
        return node;
    }

    private static ObjectNode read(String fixture) {
        return (ObjectNode) read(Fixtures.read(fixture), false);
    }

    private static JsonNode read(String text, boolean encoded) {
        try {
            return MAPPER.readTree(encoded ? java.net.URLDecoder.decode(text, StandardCharsets.UTF_8) : text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String form(JsonNode payload) {
        return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
    }
}
