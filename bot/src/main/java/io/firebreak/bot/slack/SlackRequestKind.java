package io.firebreak.bot.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a request to {@code /slack/events} is, for metrics: its {@code kind} (a slash {@code command}, a
 * {@code block_actions} click, a {@code view_submission}, an {@code event_callback}, …) and its {@code command}:
 * the subcommand, action id, callback id or event type.
 *
 * @param kind    one of {@link #KINDS}, or {@code other}
 * @param command as Slack named it; {@code help} or {@code unknown} for a slash command's first word that is not a
 *                subcommand; empty when the kind has none
 */
public record SlackRequestKind(String kind, String command) {
    /** The kinds of request Slack sends to one request URL. */
    public static final Set<String> KINDS = Set.of(
            "command",
            "block_actions",
            "block_suggestion",
            "view_submission",
            "view_closed",
            "shortcut",
            "message_action",
            "interactive_message",
            "dialog_submission",
            "event_callback",
            "url_verification",
            "app_rate_limited",
            "ssl_check");

    /** Reads {@code body}; {@code subcommands} are the words after the slash command that Firebreak knows. */
    public static SlackRequestKind of(String body, Set<String> subcommands, ObjectMapper mapper) {
        String trimmed = body.stripLeading();
        if (trimmed.startsWith("{")) {
            JsonNode json = parse(trimmed, mapper);
            String type = json.path("type").asText("");
            return new SlackRequestKind(
                    known(type),
                    type.equals("event_callback")
                            ? json.path("event").path("type").asText("")
                            : "");
        }
        Map<String, String> form = form(body);
        if (form.containsKey("command")) {
            String text = form.getOrDefault("text", "").strip();
            String word = text.isEmpty() ? "help" : text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            return new SlackRequestKind(
                    "command", word.equals("help") || subcommands.contains(word) ? word : "unknown");
        }
        if (form.containsKey("ssl_check")) {
            return new SlackRequestKind("ssl_check", "");
        }
        if (form.containsKey("payload")) {
            JsonNode payload = parse(form.get("payload"), mapper);
            String type = payload.path("type").asText("");
            return new SlackRequestKind(
                    known(type),
                    switch (type) {
                        case "block_actions" ->
                            payload.path("actions").path(0).path("action_id").asText("");
                        case "block_suggestion" -> payload.path("action_id").asText("");
                        case "view_submission", "view_closed" ->
                            payload.path("view").path("callback_id").asText("");
                        default -> payload.path("callback_id").asText("");
                    });
        }
        return new SlackRequestKind("other", "");
    }

    private static String known(String type) {
        return KINDS.contains(type) ? type : "other";
    }

    private static JsonNode parse(String json, ObjectMapper mapper) {
        try {
            return mapper.readTree(json);
        } catch (IOException | IllegalArgumentException e) {
            return mapper.missingNode();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (!kv[0].isEmpty()) {
                fields.putIfAbsent(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
            }
        }
        return fields;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
