package io.firebreak.bot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks payloads the bot sent to Slack against Block Kit's documented rules, written from Slack's reference pages
 * (not from Firebreak's own constants, so a wrong constant cannot hide a wrong payload). Real Slack refuses a whole
 * message or view that breaks any of them; the WireMock stand-in would accept it, so every test that talks to
 * the stand-in runs this check over everything it recorded.
 *
 * <p>Pages: BLOCKS = https://docs.slack.dev/reference/block-kit/blocks ; ELEMENTS =
 * https://docs.slack.dev/reference/block-kit/block-elements ; OBJECTS =
 * https://docs.slack.dev/reference/block-kit/composition-objects ; MODAL = https://docs.slack.dev/reference/views/modal-views ;
 * HOME = https://docs.slack.dev/reference/views/home-tab-views ; POST = https://docs.slack.dev/reference/methods/chat.postMessage ;
 * FORMATTING = https://docs.slack.dev/messaging/formatting-message-text ("Escaping text").
 */
public final class BlockKitConformance {
    private static final Set<String> SELECTS = Set.of(
            "static_select",
            "multi_static_select",
            "external_select",
            "multi_external_select",
            "users_select",
            "multi_users_select",
            "conversations_select",
            "multi_conversations_select",
            "channels_select",
            "multi_channels_select");

    private final List<String> problems = new ArrayList<>();
    private String where = "";

    /** The broken rules found so far, each naming the payload, the path in it and the page that states the rule. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** A message (chat.postMessage, chat.update, chat.postEphemeral, a response_url post or a command's answer). */
    public void message(String where, JsonNode text, JsonNode blocks) {
        this.where = where;
        if (text != null && text.isTextual()) {
            max(text.asText(), 4000, "text", "POST: Slack advises keeping message text within 4,000 characters");
            mrkdwnSafe(text.asText(), "text");
        }
        if (blocks != null && !blocks.isMissingNode() && !blocks.isNull()) {
            blocks(blocks, 50, "blocks", "BLOCKS: up to 50 blocks in each message");
        }
    }

    /** A view (views.open, views.update, views.push, views.publish). */
    public void view(String where, JsonNode view) {
        this.where = where;
        boolean modal = "modal".equals(view.path("type").asText());
        blocks(view.path("blocks"), 100, "view.blocks", modal ? "MODAL: max of 100 blocks" : "HOME: max of 100 blocks");
        max(
                view.path("private_metadata").asText(""),
                3000,
                "view.private_metadata",
                "MODAL/HOME: private_metadata max 3000");
        max(view.path("callback_id").asText(""), 255, "view.callback_id", "MODAL/HOME: callback_id max 255");
        if (modal) {
            plainText(view.path("title"), 24, "view.title", "MODAL: title, plain_text, max 24", true);
            plainText(view.path("submit"), 24, "view.submit", "MODAL: submit, plain_text, max 24", false);
            plainText(view.path("close"), 24, "view.close", "MODAL: close, plain_text, max 24", false);
            boolean inputs = false;
            for (JsonNode block : view.path("blocks")) {
                inputs |= "input".equals(block.path("type").asText());
            }
            if (inputs && view.path("submit").isMissingNode()) {
                fail("view.submit", "MODAL: submit is required when an input block is within the blocks array");
            }
        }
    }

    private void blocks(JsonNode blocks, int max, String path, String rule) {
        if (!blocks.isArray()) {
            fail(path, "BLOCKS: blocks must be an array");
            return;
        }
        if (blocks.size() > max) {
            fail(path, rule + " (has " + blocks.size() + ")");
        }
        int i = 0;
        for (JsonNode block : blocks) {
            block(block, path + "[" + i++ + "]");
        }
    }

    private void block(JsonNode block, String path) {
        String type = block.path("type").asText();
        max(block.path("block_id").asText(""), 255, path + ".block_id", "BLOCKS: block_id max 255");
        switch (type) {
            case "section" -> {
                JsonNode fields = block.path("fields");
                if (block.path("text").isMissingNode() && fields.isMissingNode()) {
                    fail(path, "BLOCKS section: text is required unless fields are given");
                }
                if (!block.path("text").isMissingNode()) {
                    text(block.path("text"), 3000, path + ".text", "BLOCKS section: text max 3000");
                }
                if (fields.size() > 10) {
                    fail(
                            path + ".fields",
                            "BLOCKS section: fields, maximum number of items is 10 (has " + fields.size() + ")");
                }
                for (int i = 0; i < fields.size(); i++) {
                    text(fields.get(i), 2000, path + ".fields[" + i + "]", "BLOCKS section: each field max 2000");
                }
                if (!block.path("accessory").isMissingNode()) {
                    element(block.path("accessory"), path + ".accessory");
                }
            }
            case "header" ->
                plainText(block.path("text"), 150, path + ".text", "BLOCKS header: plain_text, max 150", true);
            case "context" -> {
                JsonNode elements = block.path("elements");
                if (elements.isEmpty() || elements.size() > 10) {
                    fail(path + ".elements", "BLOCKS context: 1 to 10 elements (has " + elements.size() + ")");
                }
                for (int i = 0; i < elements.size(); i++) {
                    JsonNode e = elements.get(i);
                    if (!"image".equals(e.path("type").asText())) {
                        text(e, 3000, path + ".elements[" + i + "]", "OBJECTS text: max 3000");
                    }
                }
            }
            case "actions" -> {
                JsonNode elements = block.path("elements");
                if (elements.isEmpty() || elements.size() > 25) {
                    fail(path + ".elements", "BLOCKS actions: 1 to 25 elements (has " + elements.size() + ")");
                }
                for (int i = 0; i < elements.size(); i++) {
                    element(elements.get(i), path + ".elements[" + i + "]");
                }
            }
            case "input" -> {
                plainText(
                        block.path("label"), 2000, path + ".label", "BLOCKS input: label, plain_text, max 2000", true);
                plainText(block.path("hint"), 2000, path + ".hint", "BLOCKS input: hint, plain_text, max 2000", false);
                element(block.path("element"), path + ".element");
            }
            case "divider", "image", "rich_text", "file", "video" -> {}
            default -> fail(path, "BLOCKS: unknown block type '" + type + "'");
        }
    }

    private void element(JsonNode element, String path) {
        String type = element.path("type").asText();
        max(element.path("action_id").asText(""), 255, path + ".action_id", "ELEMENTS: action_id max 255");
        confirm(element.path("confirm"), path + ".confirm");
        if (type.equals("button")) {
            plainText(element.path("text"), 75, path + ".text", "ELEMENTS button: text, plain_text, max 75", true);
            max(element.path("value").asText(""), 2000, path + ".value", "ELEMENTS button: value max 2000");
            max(element.path("url").asText(""), 3000, path + ".url", "ELEMENTS button: url max 3000");
        } else if (SELECTS.contains(type)) {
            plainText(
                    element.path("placeholder"),
                    150,
                    path + ".placeholder",
                    "ELEMENTS select: placeholder, plain_text, max 150",
                    false);
            options(element.path("options"), 100, path + ".options", "ELEMENTS static_select: max 100 options", true);
            if (type.equals("static_select")
                    && element.path("options").isMissingNode()
                    && element.path("option_groups").isMissingNode()) {
                fail(path, "ELEMENTS static_select: options or option_groups is required");
            }
        } else if (type.equals("overflow")) {
            JsonNode options = element.path("options");
            if (options.size() < 1 || options.size() > 5) {
                fail(path + ".options", "ELEMENTS overflow: 1 to 5 options (has " + options.size() + ")");
            }
            options(options, 5, path + ".options", "ELEMENTS overflow: max 5 options", true);
        } else if (type.equals("checkboxes") || type.equals("radio_buttons")) {
            options(element.path("options"), 10, path + ".options", "ELEMENTS " + type + ": max 10 options", false);
        } else if (type.equals("plain_text_input")) {
            plainText(
                    element.path("placeholder"),
                    150,
                    path + ".placeholder",
                    "ELEMENTS plain_text_input: placeholder max 150",
                    false);
            if (element.path("max_length").asInt(0) > 3000) {
                fail(path + ".max_length", "ELEMENTS plain_text_input: max_length at most 3000");
            }
            max(
                    element.path("initial_value").asText(""),
                    element.path("max_length").asInt(3000),
                    path + ".initial_value",
                    "ELEMENTS plain_text_input: initial_value within max_length");
        } else if (type.equals("datepicker") || type.equals("timepicker")) {
            plainText(
                    element.path("placeholder"),
                    150,
                    path + ".placeholder",
                    "ELEMENTS " + type + ": placeholder max 150",
                    false);
        }
    }

    private void options(JsonNode options, int count, String path, String rule, boolean plainOnly) {
        if (options.isMissingNode()) {
            return;
        }
        if (options.size() > count) {
            fail(path, rule + " (has " + options.size() + ")");
        }
        for (int i = 0; i < options.size(); i++) {
            JsonNode option = options.get(i);
            String at = path + "[" + i + "]";
            if (plainOnly) {
                plainText(
                        option.path("text"),
                        75,
                        at + ".text",
                        "OBJECTS option: text, plain_text in selects and overflow, max 75",
                        true);
            } else {
                text(option.path("text"), 75, at + ".text", "OBJECTS option: text max 75");
            }
            max(option.path("value").asText(""), 150, at + ".value", "OBJECTS option: value max 150");
            if (!option.path("description").isMissingNode()) {
                plainText(
                        option.path("description"),
                        75,
                        at + ".description",
                        "OBJECTS option: description max 75",
                        false);
            }
        }
    }

    private void confirm(JsonNode confirm, String path) {
        if (confirm.isMissingNode()) {
            return;
        }
        plainText(confirm.path("title"), 100, path + ".title", "OBJECTS confirm: title, plain_text, max 100", true);
        text(confirm.path("text"), 300, path + ".text", "OBJECTS confirm: text max 300");
        plainText(confirm.path("confirm"), 30, path + ".confirm", "OBJECTS confirm: confirm, plain_text, max 30", true);
        plainText(confirm.path("deny"), 30, path + ".deny", "OBJECTS confirm: deny, plain_text, max 30", true);
    }

    private void plainText(JsonNode text, int max, String path, String rule, boolean required) {
        if (text.isMissingNode() || text.isNull()) {
            if (required) {
                fail(path, rule + " (missing)");
            }
            return;
        }
        if (!"plain_text".equals(text.path("type").asText())) {
            fail(path, rule + " (type is '" + text.path("type").asText() + "')");
        }
        text(text, max, path, rule);
    }

    private void text(JsonNode text, int max, String path, String rule) {
        String type = text.path("type").asText();
        if (!type.equals("plain_text") && !type.equals("mrkdwn")) {
            fail(path, "OBJECTS text: type must be plain_text or mrkdwn (is '" + type + "')");
            return;
        }
        String value = text.path("text").asText("");
        if (value.isEmpty()) {
            fail(path, "OBJECTS text: text is required and at least 1 character");
        }
        max(value, max, path, rule);
        if (type.equals("mrkdwn")) {
            mrkdwnSafe(value, path);
        }
    }

    /**
     * FORMATTING: {@code &}, {@code <} and {@code >} are control characters in mrkdwn; a cut that ends inside an
     * entity or a {@code <…>} link or mention leaves broken markup behind, which this finds.
     */
    private void mrkdwnSafe(String value, String path) {
        // A '>' on its own starts a quote, so only an opened '<' needs its '>' before the next '<'.
        int open = -1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '<') {
                if (open >= 0) {
                    fail(path, "FORMATTING: a <…> link or mention at character " + open + " is not closed");
                    return;
                }
                open = i;
            } else if (c == '>') {
                open = -1;
            }
        }
        if (open >= 0) {
            fail(path, "FORMATTING: a <…> link or mention at character " + open + " is not closed");
        }
        java.util.regex.Matcher cutEntity =
                java.util.regex.Pattern.compile("&(a|am|l|g|amp|lt|gt)?…").matcher(value);
        if (cutEntity.find()) {
            fail(path, "FORMATTING: an entity was cut at character " + cutEntity.start());
        }
    }

    private void max(String value, int max, String path, String rule) {
        if (value.length() > max) {
            fail(path, rule + " (is " + value.length() + ")");
        }
    }

    private void fail(String path, String rule) {
        problems.add(where + " " + path + ": " + rule);
    }
}
