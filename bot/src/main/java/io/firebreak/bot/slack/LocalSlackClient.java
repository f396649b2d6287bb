package io.firebreak.bot.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.platform.config.Secret;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sends one slash command to a running bot, signed exactly as Slack signs it, and prints the answer, so
 * Firebreak can be tried without a Slack workspace.
 */
public final class LocalSlackClient {
    private static final String USAGE =
            "usage: firebreak slack [--user U…] [--channel C…] [--url URL] \"/incident open high <title>\"";

    private LocalSlackClient() {}

    /** Runs the client; returns the process exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String user = io.firebreak.bot.platform.config.AccessSettings.LOCAL_USER;
        String channel = "C0LOCAL01";
        String url = "http://127.0.0.1:"
                + Optional.ofNullable(env.get("PORT")).filter(p -> !p.isBlank()).orElse("3000") + "/slack/events";
        String commandLine = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> user = next(args, ++i);
                case "--channel" -> channel = next(args, ++i);
                case "--url" -> url = next(args, ++i);
                default -> commandLine = args[i];
            }
        }
        if (commandLine == null || !commandLine.startsWith("/") || user == null || channel == null || url == null) {
            err.println(USAGE);
            return 2;
        }
        Optional<Secret> secret = signingSecret(env);
        if (secret.isEmpty()) {
            err.println("No signing secret: set SLACK_SIGNING_SECRET, or start the bot once so it generates one in "
                    + dataDir(env).resolve(ConfigLoader.GENERATED_SECRET_FILE));
            return 2;
        }
        String[] parts = commandLine.split(" ", 2);
        String body = form(parts[0], parts.length > 1 ? parts[1] : "", user, channel);
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .header("X-Slack-Request-Timestamp", String.valueOf(timestamp))
                .header("X-Slack-Signature", new SlackSigner(secret.get()).sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            out.println("HTTP " + response.statusCode());
            out.println(render(response.body()));
            return response.statusCode() == 200 ? 0 : 1;
        } catch (java.io.IOException e) {
            err.println("Could not reach " + url + ": " + e.getClass().getSimpleName()
                    + ". Is the bot running (./firebreak)?");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** A slash-command body with the fields and encoding Slack uses. */
    static String form(String command, String text, String user, String channel) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("token", "local");
        fields.put("team_id", io.firebreak.bot.platform.config.AccessSettings.LOCAL_TEAM);
        fields.put("team_domain", "local");
        fields.put("channel_id", channel);
        fields.put("channel_name", "local");
        fields.put("user_id", user);
        fields.put("user_name", "local-user");
        fields.put("command", command);
        fields.put("text", text);
        fields.put("api_app_id", "A0LOCAL01");
        fields.put("is_enterprise_install", "false");
        fields.put("response_url", "https://hooks.slack.com/commands/T0LOCAL01/1/local");
        fields.put("trigger_id", "1.2.local");
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The bot's answer as a person would read it: the text, then each block's text. */
    static String render(String body) {
        if (body == null || body.isBlank()) {
            return "(acknowledged, no message)";
        }
        try {
            JsonNode json = new ObjectMapper().readTree(body);
            StringBuilder out = new StringBuilder();
            if (json.hasNonNull("text") && !json.has("blocks")) {
                out.append(json.get("text").asText()).append('\n');
            }
            for (JsonNode block : json.path("blocks")) {
                if (block.path("text").has("text")) {
                    out.append(block.path("text").path("text").asText()).append('\n');
                }
                for (JsonNode field : block.path("fields")) {
                    out.append("  ")
                            .append(field.path("text").asText().replace("\n", ": "))
                            .append('\n');
                }
                for (JsonNode element : block.path("elements")) {
                    out.append("  ")
                            .append(
                                    element.path("text").isTextual()
                                            ? element.path("text").asText()
                                            : element.path("text").path("text").asText())
                            .append('\n');
                }
            }
            return out.toString().stripTrailing();
        } catch (java.io.IOException e) {
            return body;
        }
    }

    private static Optional<Secret> signingSecret(Map<String, String> env) {
        Optional<String> fromEnv =
                Optional.ofNullable(env.get("SLACK_SIGNING_SECRET")).filter(s -> !s.isBlank());
        if (fromEnv.isPresent()) {
            return fromEnv.map(Secret::new);
        }
        Path file = dataDir(env).resolve(ConfigLoader.GENERATED_SECRET_FILE);
        try {
            return Files.exists(file)
                    ? Optional.of(new Secret(Files.readString(file).trim()))
                    : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static Path dataDir(Map<String, String> env) {
        return Path.of(Optional.ofNullable(env.get("FIREBREAK_DATA_DIR"))
                .filter(s -> !s.isBlank())
                .orElse("./.firebreak"));
    }

    private static String next(String[] args, int i) {
        return i < args.length ? args[i] : null;
    }
}
