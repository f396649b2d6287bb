package io.firebreak.bot.evidence;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock standing in for the tracing backends (Langfuse, LangSmith, Jaeger, Tempo), plus the waits and reads
 * the evidence tests share: the bot's environment for each backend, the stored snapshots, and the thread messages.
 */
final class TraceBackends implements AutoCloseable {
    static final String LANGFUSE_PUBLIC_KEY = "pk-lf-0a1b2c3d-test-public";
    static final String LANGFUSE_SECRET_KEY = "sk-lf-9f8e7d6c-test-secret";
    static final String LANGSMITH_API_KEY = "lsv2_pt_0123456789abcdef_test";
    static final String TEMPO_TENANT = "tenant-7";
    static final String OTEL_TOKEN = "otel-proxy-token-5566";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    private final ObjectMapper mapper = new ObjectMapper();

    TraceBackends() {
        server.start();
    }

    WireMockServer wiremock() {
        return server;
    }

    String url() {
        return server.baseUrl();
    }

    /** The bot's environment with Langfuse here, plus {@code more} variables (name, value, …). */
    Map<String, String> langfuse(String... more) {
        return env(
                more,
                "LANGFUSE_HOST",
                url(),
                "LANGFUSE_PUBLIC_KEY",
                LANGFUSE_PUBLIC_KEY,
                "LANGFUSE_SECRET_KEY",
                LANGFUSE_SECRET_KEY);
    }

    /** The bot's environment with LangSmith here, plus {@code more}. */
    Map<String, String> langsmith(String... more) {
        return env(more, "LANGSMITH_API_URL", url(), "LANGSMITH_API_KEY", LANGSMITH_API_KEY);
    }

    /** The bot's environment with Jaeger or Tempo here at {@code tracesPath}, with a tenant and a proxy token, plus {@code more}. */
    Map<String, String> otel(String tracesPath, String... more) {
        return env(
                more,
                "OTEL_TRACES_URL",
                url() + tracesPath,
                "OTEL_TRACES_HEADERS",
                "X-Scope-OrgID=" + TEMPO_TENANT + ",Authorization=Bearer%20" + OTEL_TOKEN);
    }

    private static Map<String, String> env(String[] more, String... pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /** A reference or test file's exact bytes from {@code src/test/resources}. */
    static byte[] bytes(String resource) {
        try (InputStream in = TraceBackends.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    JsonNode json(byte[] bytes) {
        return json(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Answers {@code GET path} with {@code body} as JSON, byte for byte. */
    void serve(String path, byte[] body) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(path)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** Answers {@code GET path} with {@code status} and a small JSON error body. */
    void fail(String path, int status) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(path)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"status " + status + "\"}")));
    }

    /** Opens an incident with {@code /incident open}, waits until its card is posted, and returns its id. */
    static long openIncident(TestBot bot, String title) {
        bot.command("open high " + title);
        long id = bot.count("select max(id) from incident");
        await(
                "the card of INC-" + id,
                () -> bot.count("select count(*) from incident where id = ? and card_ts is not null", id) == 1);
        return id;
    }

    /** Waits for the fetch of {@code runId} in INC-{@code incident} to end, and returns its state. */
    static String awaitFetchEnd(TestBot bot, long incident, String runId) {
        String sql = "select f.state from evidence_fetch f join run_attachment a on a.id = f.attachment_id "
                + "where a.incident_id = ? and a.run_id = ? order by f.id desc limit 1";
        await("the fetch of " + runId, () -> {
            List<String> states = bot.db()
                    .withHandle(h ->
                            h.select(sql, incident, runId).mapTo(String.class).list());
            return !states.isEmpty() && !states.get(0).equals("PENDING");
        });
        return bot.db()
                .withHandle(
                        h -> h.select(sql, incident, runId).mapTo(String.class).one());
    }

    /** The normalized fields of snapshot {@code seq} of {@code runId} in INC-{@code incident}. */
    JsonNode normalized(TestBot bot, long incident, String runId, int seq) {
        return json((String) bot.db()
                .withHandle(h -> h.select(
                                "select s.normalized::text from evidence_snapshot s join run_attachment a "
                                        + "on a.id = s.attachment_id where a.incident_id = ? and a.run_id = ? and s.seq = ?",
                                incident,
                                runId,
                                seq)
                        .mapTo(String.class)
                        .one()));
    }

    /** Part {@code part} of snapshot {@code seq} of {@code runId} in INC-{@code incident}, as stored. */
    static byte[] rawBody(TestBot bot, long incident, String runId, int seq, int part) {
        byte[] body = bot.db()
                .withHandle(h -> h.select(
                                "select r.body from evidence_raw r join evidence_snapshot s on s.id = r.snapshot_id "
                                        + "join run_attachment a on a.id = s.attachment_id where a.incident_id = ? and a.run_id = ? and s.seq = ? and r.part = ?",
                                incident,
                                runId,
                                seq,
                                part)
                        .mapTo(byte[].class)
                        .one());
        return body;
    }

    /** The first thread reply whose fallback text contains all of {@code words}, waiting for it. */
    static Map<String, String> awaitThreadMessage(TestBot bot, String... words) {
        await(
                "a thread message with " + String.join(", ", words),
                () -> threadMessage(bot, words).isPresent());
        return threadMessage(bot, words).get();
    }

    static java.util.Optional<Map<String, String>> threadMessage(TestBot bot, String... words) {
        return threadMessages(bot).stream()
                .filter(m -> java.util.Arrays.stream(words)
                        .allMatch(w -> m.getOrDefault("text", "").contains(w)))
                .findFirst();
    }

    /** The text of every section and context of a message's blocks, joined by newlines. */
    String blockText(Map<String, String> message) {
        StringBuilder out = new StringBuilder();
        for (JsonNode block : json(message.get("blocks"))) {
            if (block.has("text")) {
                out.append(block.path("text").path("text").asText()).append('\n');
            }
            for (JsonNode element : block.path("elements")) {
                out.append(
                                element.path("text").isObject()
                                        ? element.path("text").path("text").asText()
                                        : element.path("text").asText())
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** A field of normalized evidence, e.g. {@code field(n, "tool_calls")}. */
    static JsonNode field(JsonNode normalized, String key) {
        JsonNode field = normalized.path("fields").path(key);
        if (field.isMissingNode()) {
            throw new AssertionError("no field " + key + " in " + normalized);
        }
        return field;
    }

    /** Thread replies the bot posted to Slack (chat.postMessage with a thread_ts), oldest first. */
    static List<Map<String, String>> threadMessages(TestBot bot) {
        return bot.slack().calls("chat.postMessage").stream()
                .filter(c -> c.containsKey("thread_ts"))
                .toList();
    }

    static void await(String what, java.util.function.BooleanSupplier done) {
        io.firebreak.bot.testing.Await.until(what, done);
    }

    @Override
    public void close() {
        server.stop();
    }
}
