package io.firebreak.bot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.Firebreak;
import io.firebreak.bot.config.Config;
import io.firebreak.bot.config.ConfigLoader;
import io.firebreak.bot.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.storage.DatabaseUrl;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real Firebreak for a test: Jetty on a random port, a fresh database on the shared embedded PostgreSQL,
 * WireMock as Slack's Web API, and an HTTP client that signs requests as Slack does.
 */
public final class TestBot implements AutoCloseable {
    /** Slack's documented example signing secret. */
    public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String BOT_TOKEN = "xoxb-firebreak-test-token";
    public static final String API_TOKEN = "test-api-token-0123456789";
    /** The user and channel of Slack's documented slash-command body. */
    public static final String USER = "U2CERLKJA";
    public static final String CHANNEL = "G8PSS9T3V";

    private final String signingSecret;
    private final SlackApiStub slack;
    private final DatabaseUrl databaseUrl;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Jdbi jdbi;
    private Firebreak bot;

    private TestBot(SlackApiStub slack, DatabaseUrl databaseUrl, Map<String, String> env, String signingSecret) {
        this.signingSecret = signingSecret;
        this.slack = slack;
        this.databaseUrl = databaseUrl;
        this.env = env;
        this.jdbi = databaseUrl == null ? null : Jdbi.create(databaseUrl.jdbcUrl());
    }

    /** Starts a bot with the test defaults. */
    public static TestBot start() {
        return start(Map.of());
    }

    /** Starts a bot with the test defaults, overridden (or removed, with a null value) by {@code overrides}. */
    public static TestBot start(Map<String, String> overrides) {
        return startSigningWith(overrides, SIGNING_SECRET);
    }

    /**
     * Starts a bot and signs requests with {@code signingSecret}. With {@code DATABASE_URL} overridden to null
     * the bot runs its own embedded PostgreSQL in its data folder, as it does for a new user.
     */
    public static TestBot startSigningWith(Map<String, String> overrides, String signingSecret) {
        SlackApiStub slack = new SlackApiStub();
        boolean embedded = overrides.containsKey("DATABASE_URL") && overrides.get("DATABASE_URL") == null;
        DatabaseUrl db = embedded ? null : overrides.get("DATABASE_URL") != null
                ? DatabaseUrl.parse(overrides.get("DATABASE_URL")) : SharedPostgres.freshDatabase();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_API_URL", slack.apiUrl());
        if (db != null) {
            env.put("DATABASE_URL", db.jdbcUrl());
        }
        env.put("FIREBREAK_API_TOKEN", API_TOKEN);
        // Most tests look at the card in the channel the command came from; IncidentChannelsTest turns this on.
        env.put("FIREBREAK_INCIDENT_CHANNELS", "false");
        try {
            env.put("FIREBREAK_DATA_DIR", Files.createTempDirectory("firebreak-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        overrides.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        TestBot bot = new TestBot(slack, db, env, signingSecret);
        bot.boot();
        return bot;
    }

    private void boot() {
        try {
            bot = Firebreak.start(config(), Clock.systemUTC());
        } catch (Exception e) {
            throw new IllegalStateException("bot did not start", e);
        }
    }

    public Config config() {
        return ConfigLoader.load(env);
    }

    /** Stops the bot (gracefully) and starts a new one on the same database, port and Slack stub. */
    public void restart() {
        int port = bot.port();
        bot.close();
        env.put("PORT", String.valueOf(port));
        boot();
    }

    public Firebreak firebreak() {
        return bot;
    }

    public SlackApiStub slack() {
        return slack;
    }

    /** A Jdbi on the bot's database, for assertions and for tampering behind the bot's back. */
    public Jdbi db() {
        return jdbi;
    }

    public DatabaseUrl databaseUrl() {
        return databaseUrl;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + bot.port() + path);
    }

    /** {@code /incident <text>} from Slack's documented user in Slack's documented channel. */
    public HttpResponse<String> command(String text) {
        return command(text, USER, CHANNEL);
    }

    public HttpResponse<String> command(String text, String user, String channel) {
        return postSigned(Fixtures.slashCommand("/incident", text, user, channel), "application/x-www-form-urlencoded");
    }

    /** POSTs {@code body} to {@code /slack/events}, signed now with the bot's signing secret. */
    public HttpResponse<String> postSigned(String body, String contentType) {
        long now = System.currentTimeMillis() / 1000;
        return postToSlackEvents(body, contentType, now, new SlackSigner(new Secret(signingSecret)).sign(now, body));
    }

    public HttpResponse<String> postToSlackEvents(String body, String contentType, long timestamp, String signature) {
        return send(slackRequest(uri("/slack/events"), body, contentType, timestamp, signature).build());
    }

    /** A POST of {@code body} to {@code uri} with the headers Slack sends, signed with {@code signature}. */
    public static HttpRequest.Builder slackRequest(URI uri, String body, String contentType, long timestamp, String signature) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType)
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .header("Accept", "application/json,*/*")
                .header("X-Slack-Request-Timestamp", String.valueOf(timestamp))
                .header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** The intake secret tests configure with {@code FIREBREAK_INTAKE_SECRET}. */
    public static final String INTAKE_SECRET = "intake-secret-for-tests-0123";

    /** POSTs a report signed now with {@link #INTAKE_SECRET}, as a form would. */
    public HttpResponse<String> report(String json) {
        long now = System.currentTimeMillis() / 1000;
        return report(json, String.valueOf(now), new io.firebreak.bot.web.HmacSignature(new Secret(INTAKE_SECRET), "v1").sign(now, json));
    }

    public HttpResponse<String> report(String json, String timestamp, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/reports")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (timestamp != null) {
            request.header("X-Firebreak-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("X-Firebreak-Signature", signature);
        }
        return send(request.build());
    }

    /** GET with the read API's bearer token. */
    public HttpResponse<String> api(String path) {
        return get(path, Optional.of(API_TOKEN));
    }

    public HttpResponse<String> get(String path, Optional<String> bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode json(HttpResponse<String> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** The text of an ephemeral or in-channel answer. */
    public String text(HttpResponse<String> response) {
        return json(response).path("text").asText();
    }

    public String string(String sql, Object... args) {
        return jdbi.withHandle(h -> h.select(sql, args).mapTo(String.class).one());
    }

    /** Waits (up to 10 s) until {@code sql} counts {@code expected}, for what jobs write after the ack. */
    public void awaitCount(long expected, String sql, Object... args) {
        long deadline = System.currentTimeMillis() + 10_000;
        long actual = count(sql, args);
        while (actual != expected && System.currentTimeMillis() < deadline) {
            SlackApiStub.sleep(25);
            actual = count(sql, args);
        }
        if (actual != expected) {
            throw new AssertionError("expected " + expected + " from [" + sql + "] but it stayed " + actual);
        }
    }

    public long count(String sql, Object... args) {
        return jdbi.withHandle(h -> h.select(sql, args).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        if (bot != null) {
            bot.close();
        }
        slack.close();
    }
}
