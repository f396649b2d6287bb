package io.firebreak.bot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.Firebreak;
import io.firebreak.bot.platform.config.Config;
import io.firebreak.bot.platform.config.ConfigLoader;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.storage.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

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
    /**
     * {@code FIREBREAK_RESPONDERS} of every test bot unless overridden: unset would mean nobody responds (fail closed).
     * {@link #USER} and the two others tests act as or hand the incident to.
     */
    public static final String RESPONDERS = USER + ",U024BE7LH,U0RESPOND2";

    private final String signingSecret;
    private final SlackApiStub slack;
    private final DatabaseUrl databaseUrl;
    private final Map<String, String> env;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Jdbi jdbi;
    private Firebreak bot;

    /** Whether closing this bot stops the Slack stub: false for a {@link #replica()}, which shares it. */
    private final boolean ownsSlack;
    /** When present, the bot runs with several workspaces: these tokens, and this rule for who sees what. */
    private Optional<io.firebreak.bot.slack.BotTokens> tokens = Optional.empty();

    private Optional<io.firebreak.bot.access.Tenancy> tenancy = Optional.empty();

    /** When present, the bot is launched as Main does: serving at once, retrying its database this often. */
    private Optional<Duration> databaseRetry = Optional.empty();

    private TestBot(SlackApiStub slack, DatabaseUrl databaseUrl, Map<String, String> env, String signingSecret) {
        this(slack, databaseUrl, env, signingSecret, true);
    }

    private TestBot(
            SlackApiStub slack,
            DatabaseUrl databaseUrl,
            Map<String, String> env,
            String signingSecret,
            boolean ownsSlack) {
        this.signingSecret = signingSecret;
        this.slack = slack;
        this.databaseUrl = databaseUrl;
        this.env = env;
        this.ownsSlack = ownsSlack;
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
     * Starts a bot serving several workspaces: Slack calls carry each workspace's token from {@code tokens}, and each
     * workspace sees its own incidents as {@code tenancy} says.
     */
    public static TestBot startWorkspaces(
            Map<String, String> overrides,
            io.firebreak.bot.slack.BotTokens tokens,
            io.firebreak.bot.access.Tenancy tenancy) {
        TestBot bot = prepare(overrides, SIGNING_SECRET);
        bot.tokens = Optional.of(tokens);
        bot.tenancy = Optional.of(tenancy);
        bot.boot();
        return bot;
    }

    /**
     * Starts a bot and signs requests with {@code signingSecret}. With {@code DATABASE_URL} overridden to null
     * the bot runs its own embedded PostgreSQL in its data folder, as it does for a new user.
     */
    public static TestBot startSigningWith(Map<String, String> overrides, String signingSecret) {
        TestBot bot = prepare(overrides, signingSecret);
        bot.boot();
        return bot;
    }

    /**
     * Starts a bot in Socket Mode: {@code SLACK_APP_TOKEN} set, and its Slack stand-in's {@code apps.connections.open}
     * handing out {@code socketMode}'s URL. Returns without waiting for the connections.
     */
    public static TestBot startSocketMode(SocketModeStandIn socketMode, Map<String, String> overrides) {
        return startSocketMode(socketMode, overrides, slack -> {});
    }

    /** As {@link #startSocketMode(SocketModeStandIn, Map)}, with {@code beforeStart} setting up the Slack stand-in first. */
    public static TestBot startSocketMode(
            SocketModeStandIn socketMode,
            Map<String, String> overrides,
            java.util.function.Consumer<SlackApiStub> beforeStart) {
        Map<String, String> env = new HashMap<>(Map.of("SLACK_APP_TOKEN", SocketModeStandIn.APP_TOKEN));
        env.putAll(overrides);
        TestBot bot = prepare(env, SIGNING_SECRET);
        socketMode.answerConnectionsOpen(bot.slack);
        beforeStart.accept(bot.slack);
        bot.boot();
        return bot;
    }

    /**
     * As {@link #startSocketMode(SocketModeStandIn, Map)}, serving several workspaces as {@link #startWorkspaces} does:
     * each workspace's calls carry its token from {@code tokens}, and {@code tenancy} keeps their incidents apart.
     */
    public static TestBot startSocketModeWorkspaces(
            SocketModeStandIn socketMode,
            Map<String, String> overrides,
            io.firebreak.bot.slack.BotTokens tokens,
            io.firebreak.bot.access.Tenancy tenancy) {
        Map<String, String> env = new HashMap<>(Map.of("SLACK_APP_TOKEN", SocketModeStandIn.APP_TOKEN));
        env.putAll(overrides);
        TestBot bot = prepare(env, SIGNING_SECRET);
        socketMode.answerConnectionsOpen(bot.slack);
        bot.tokens = Optional.of(tokens);
        bot.tenancy = Optional.of(tenancy);
        bot.boot();
        return bot;
    }

    /**
     * Launches a bot as {@code Main} does: Jetty serves at once, and the database is tried every {@code retry}
     * in the background until it answers. Returns without waiting for the database.
     */
    public static TestBot launch(Map<String, String> overrides, Duration retry) {
        TestBot bot = prepare(overrides, SIGNING_SECRET);
        bot.databaseRetry = Optional.of(retry);
        bot.boot();
        return bot;
    }

    /**
     * {@code count} bots on one fresh database and one Slack stub, each on its own port, started at the same moment
     * (as replicas of a deployment are), so they race to migrate the database, which is empty (not a copy of the
     * migrated template). The first one owns the Slack stub.
     */
    public static List<TestBot> startReplicas(int count, Map<String, String> overrides) {
        TestBot first = prepare(overrides, SIGNING_SECRET, false);
        List<TestBot> bots = new ArrayList<>(List.of(first));
        for (int i = 1; i < count; i++) {
            bots.add(first.unbootedReplica());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> booting = bots.stream()
                .map(bot -> CompletableFuture.runAsync(() -> {
                    awaitQuietly(go);
                    bot.boot();
                }))
                .toList();
        go.countDown();
        try {
            CompletableFuture.allOf(booting.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            bots.forEach(TestBot::closeQuietly);
            throw new IllegalStateException("replicas did not start", e);
        }
        return bots;
    }

    /** Another Firebreak on this bot's database and Slack stub, on a port of its own: a second replica. */
    public TestBot replica() {
        TestBot replica = unbootedReplica();
        replica.boot();
        return replica;
    }

    private TestBot unbootedReplica() {
        Map<String, String> replicaEnv = new HashMap<>(env);
        replicaEnv.put("PORT", "0");
        return new TestBot(slack, databaseUrl, replicaEnv, signingSecret, false);
    }

    /** A port nothing listens on (right now). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(TestBot bot) {
        try {
            bot.close();
        } catch (RuntimeException ignored) {
            // Closing what did start; the start failure is what the caller sees.
        }
    }

    private static TestBot prepare(Map<String, String> overrides, String signingSecret) {
        return prepare(overrides, signingSecret, true);
    }

    private static TestBot prepare(Map<String, String> overrides, String signingSecret, boolean migrated) {
        SlackApiStub slack = new SlackApiStub();
        boolean embedded = overrides.containsKey("DATABASE_URL") && overrides.get("DATABASE_URL") == null;
        DatabaseUrl db = embedded
                ? null
                : overrides.get("DATABASE_URL") != null
                        ? DatabaseUrl.parse(overrides.get("DATABASE_URL"))
                        : migrated ? SharedPostgres.freshDatabase() : SharedPostgres.emptyDatabase();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_API_URL", slack.apiUrl());
        if (db != null) {
            env.put("DATABASE_URL", db.jdbcUrl());
        }
        env.put("FIREBREAK_API_TOKEN", API_TOKEN);
        env.put("FIREBREAK_RESPONDERS", RESPONDERS);
        // Most tests look at the card in the channel the command came from; IncidentChannelsTest turns this on.
        env.put("FIREBREAK_INCIDENT_CHANNELS", "false");
        // Tests and benchmarks drive one user far faster than a person; the limits are still counted on every change.
        // WorkLimitsTest sets real ones.
        env.put("FIREBREAK_USER_LIMIT", "1000000");
        env.put("FIREBREAK_WORKSPACE_LIMIT", "1000000");
        try {
            env.put(
                    "FIREBREAK_DATA_DIR",
                    Files.createTempDirectory("firebreak-test").toString());
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
        return new TestBot(slack, db, env, signingSecret);
    }

    private void boot() {
        try {
            bot = tokens.isPresent()
                    ? Firebreak.start(config(), Clock.systemUTC(), tokens.get(), tenancy.orElseThrow())
                    : databaseRetry.isPresent()
                            ? Firebreak.launch(config(), Clock.systemUTC(), databaseRetry.get())
                            : Firebreak.start(config(), Clock.systemUTC());
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
        HttpResponse<String> answer = send(slackRequest(uri("/slack/events"), body, contentType, timestamp, signature)
                .build());
        if (answer.statusCode() == 200 && answer.body() != null && answer.body().startsWith("{")) {
            slack.recordAnswer("answer to a Slack request", answer.body());
        }
        return answer;
    }

    /** A POST of {@code body} to {@code uri} with the headers Slack sends, signed with {@code signature}. */
    public static HttpRequest.Builder slackRequest(
            URI uri, String body, String contentType, long timestamp, String signature) {
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
        return report(
                json,
                String.valueOf(now),
                new io.firebreak.bot.web.HmacSignature(new Secret(INTAKE_SECRET), "v1").sign(now, json));
    }

    public HttpResponse<String> report(String json, String timestamp, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/reports"))
                .header("Content-Type", "application/json")
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
        if (ownsSlack) {
            slack.close();
        }
    }
}
