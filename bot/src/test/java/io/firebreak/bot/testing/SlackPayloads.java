package io.firebreak.bot.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Interactivity payloads built from Slack's own captured ones in {@code reference/slack/}, with only the
 * fields a test needs changed, encoded as Slack sends them: {@code payload=<url-encoded JSON>}.
 */
public final class SlackPayloads {
    private static final ObjectMapper mapper = new ObjectMapper();

    private SlackPayloads() {}

    /** A button click in a message ({@code block_actions_message_container.json}). */
    public static String button(String actionId, String value, String userId, String responseUrl) {
        ObjectNode payload = load("slack/block_actions_message_container.json");
        ((ObjectNode) payload.get("user")).put("id", userId);
        payload.put("response_url", responseUrl);
        ObjectNode action = (ObjectNode) payload.get("actions").get(0);
        action.put("action_id", actionId);
        action.put("block_id", "incident_actions");
        action.put("value", value);
        return encode(payload);
    }

    /** A choice in a static select in a message. */
    public static String select(String actionId, String selectedValue, String userId, String responseUrl) {
        ObjectNode payload = load("slack/block_actions_message_container.json");
        ((ObjectNode) payload.get("user")).put("id", userId);
        payload.put("response_url", responseUrl);
        ObjectNode action = (ObjectNode) payload.get("actions").get(0);
        action.put("action_id", actionId);
        action.put("block_id", "incident_actions");
        action.put("type", "static_select");
        action.remove("value");
        action.putObject("selected_option")
                .put("value", selectedValue)
                .putObject("text")
                .put("type", "plain_text")
                .put("text", selectedValue);
        return encode(payload);
    }

    /**
     * A modal submission ({@code view_submission.json}) with {@code values} as {@code state.values}: block id →
     * action id → value object, e.g. {@code {"type":"radio_buttons","selected_option":{"value":"yes"}}}.
     */
    public static String viewSubmission(String callbackId, String privateMetadata, String userId, ObjectNode values) {
        ObjectNode payload = load("slack/view_submission.json");
        ((ObjectNode) payload.get("user")).put("id", userId);
        ObjectNode view = (ObjectNode) payload.get("view");
        view.put("callback_id", callbackId);
        view.put("private_metadata", privateMetadata);
        ((ObjectNode) view.get("state")).set("values", values);
        return encode(payload);
    }

    /** A global shortcut ({@code global_shortcut.json}). */
    public static String globalShortcut(String callbackId, String userId, String triggerId) {
        ObjectNode payload = load("slack/global_shortcut.json");
        payload.put("callback_id", callbackId);
        payload.put("trigger_id", triggerId);
        ((ObjectNode) payload.get("user")).put("id", userId);
        return encode(payload);
    }

    /** {@code state.values} for the impact assessment form, plus any extra blocks (title, channel…). */
    public static ObjectNode assessment(
            boolean caught,
            String breadth,
            String[] exposures,
            boolean irreversible,
            boolean correctable,
            Map<String, ObjectNode> extra) {
        ObjectNode values = mapper.createObjectNode();
        radio(values, "caught", caught ? "yes" : "no");
        radio(values, "breadth", breadth);
        ArrayNode selected = values.putObject("exposure")
                .putObject("exposure")
                .put("type", "checkboxes")
                .putArray("selected_options");
        for (String e : exposures) {
            selected.addObject().put("value", e);
        }
        radio(values, "irreversible", irreversible ? "yes" : "no");
        radio(values, "correctable", correctable ? "yes" : "no");
        extra.forEach(values::set);
        return values;
    }

    /** {@code state.values} of a form with one text input whose block and action ids are both {@code id}. */
    public static ObjectNode textValues(String id, String text) {
        ObjectNode values = mapper.createObjectNode();
        values.set(id, text(id, text));
        return values;
    }

    /** A plain text input block's state: {@code {id: {"type":"plain_text_input","value":text}}}. */
    public static ObjectNode text(String id, String text) {
        ObjectNode block = mapper.createObjectNode();
        block.putObject(id).put("type", "plain_text_input").put("value", text);
        return block;
    }

    private static void radio(ObjectNode values, String id, String value) {
        values.putObject(id)
                .putObject(id)
                .put("type", "radio_buttons")
                .putObject("selected_option")
                .put("value", value);
    }

    private static ObjectNode load(String path) {
        try {
            return (ObjectNode) mapper.readTree(Fixtures.read(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(ObjectNode payload) {
        return "payload=" + Fixtures.encode(payload.toString());
    }
}
