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
            return command(form.getOrDefault("text", ""), subcommands);
        }
        if (form.containsKey("ssl_check")) {
            return new SlackRequestKind("ssl_check", "");
        }
        if (form.containsKey("payload")) {
            return interactive(parse(form.get("payload"), mapper));
        }
        return new SlackRequestKind("other", "");
    }

    /**
     * What a Socket Mode envelope of {@code envelopeType} ({@code slash_commands}, {@code interactive},
     * {@code events_api}) carries, read from its {@code payload}: the same kinds and commands as over HTTP.
     */
    public static SlackRequestKind ofEnvelope(String envelopeType, JsonNode payload, Set<String> subcommands) {
        return switch (envelopeType) {
            case "slash_commands" -> command(payload.path("text").asText(""), subcommands);
            case "interactive" -> interactive(payload);
            case "events_api" -> {
                String type = payload.path("type").asText("");
                yield new SlackRequestKind(
                        known(type),
                        type.equals("event_callback")
                                ? payload.path("event").path("type").asText("")
                                : "");
            }
            default -> new SlackRequestKind("other", "");
        };
    }

    private static SlackRequestKind command(String text, Set<String> subcommands) {
        String stripped = text.strip();
        String word = stripped.isEmpty() ? "help" : stripped.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return new SlackRequestKind("command", word.equals("help") || subcommands.contains(word) ? word : "unknown");
    }

    private static SlackRequestKind interactive(JsonNode payload) {
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
