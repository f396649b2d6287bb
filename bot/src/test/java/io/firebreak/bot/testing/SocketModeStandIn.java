package io.firebreak.bot.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Slack's Socket Mode, standing in locally: a WebSocket server that greets each connection with Slack's {@code hello},
 * sends envelopes built on Slack's own ones ({@code reference/slack/socket-mode/}) around the same payloads the HTTP
 * tests send, records the acknowledgements, and sends {@code disconnect} or drops a socket when a test says so. The bot
 * finds it as it finds Slack: {@link #answerConnectionsOpen} makes the Web API stand-in's {@code apps.connections.open}
 * hand out its {@code ws://} URL.
 */
public final class SocketModeStandIn implements AutoCloseable {
    /** An app-level token of the right shape that is obviously not one. */
    public static final String APP_TOKEN = "xapp-1-A0PLANTED01-0000000001-plantedfakeapptoken";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Server server;
    private final List<WebSocket> open = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> acks = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final List<SlackApiStub> recorders = new CopyOnWriteArrayList<>();
    /** Envelopes whose acknowledgement someone times: envelope id → when the ack arrived ({@link System#nanoTime}). */
    private final Map<String, java.util.concurrent.CompletableFuture<Long>> timed = new ConcurrentHashMap<>();
    /** When true, acknowledgements are received but not recorded: Slack lost them. */
    private volatile boolean losingAcks;

    public SocketModeStandIn() {
        server = new Server();
        server.setReuseAddr(true);
        server.start();
        try {
            if (!server.started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Socket Mode stand-in did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The URL {@code apps.connections.open} answers with. */
    public String url() {
        return "ws://127.0.0.1:" + server.getPort() + "/link/?ticket=planted-ticket-1234";
    }

    /**
     * Makes {@code slack}'s {@code apps.connections.open} answer with this stand-in's URL, in the shape of Slack's
     * documented answer, and checks every acknowledgement's payload against Block Kit's rules when it closes.
     */
    public void answerConnectionsOpen(SlackApiStub slack) {
        String documented = Fixtures.read("slack/socket-mode/apps.connections.open_response_docs.json");
        slack.wiremock()
                .stubFor(post("/api/apps.connections.open")
                        .willReturn(okJson(
                                documented.replace("wss:\\/\\/wss.slack.com\\/link\\/?ticket=1234-5678", url()))));
        recorders.add(slack);
    }

    /** How many times {@code slack}'s {@code apps.connections.open} was called. */
    public static int connectionsOpenCalls(SlackApiStub slack) {
        return slack.wiremock()
                .findAll(postRequestedFor(urlEqualTo("/api/apps.connections.open")))
                .size();
    }

    /** Waits until {@code count} sockets are open, and returns them, oldest first. */
    public List<WebSocket> awaitConnections(int count) {
        Await.until(count + " Socket Mode connections", () -> open.size() >= count);
        return List.copyOf(open);
    }

    public List<WebSocket> connections() {
        return List.copyOf(open);
    }

    /** Sockets opened since the start, closed ones included. */
    public int opened() {
        return opened.get();
    }

    public void send(WebSocket socket, String envelope) {
        socket.send(envelope);
    }

    /**
     * Sends {@code envelope} (whose id is {@code envelopeId}) and returns the nanoseconds until its acknowledgement
     * arrived, measured here as Slack would: for benchmarks.
     */
    public long roundTrip(WebSocket socket, String envelopeId, String envelope) throws Exception {
        java.util.concurrent.CompletableFuture<Long> acked = new java.util.concurrent.CompletableFuture<>();
        timed.put(envelopeId, acked);
        long sent = System.nanoTime();
        socket.send(envelope);
        try {
            return acked.get(10, TimeUnit.SECONDS) - sent;
        } finally {
            timed.remove(envelopeId);
        }
    }

    /** Waits for the first acknowledgement of {@code envelopeId}. */
    public JsonNode awaitAck(String envelopeId) {
        return awaitAcks(envelopeId, 1).get(0);
    }

    public List<JsonNode> awaitAcks(String envelopeId, int count) {
        Await.until(
                count + " acknowledgements of " + envelopeId,
                () -> acks(envelopeId).size() >= count);
        return acks(envelopeId);
    }

    public List<JsonNode> acks(String envelopeId) {
        return List.copyOf(acks.getOrDefault(envelopeId, List.of()));
    }

    /** From now on, acknowledgements are dropped on arrival, as if the network lost them. */
    public void loseAcks(boolean losing) {
        this.losingAcks = losing;
    }

    /** Sends Slack's documented {@code disconnect} of {@code reason} ({@code refresh_requested}, {@code warning}, …). */
    public void disconnect(WebSocket socket, String reason) {
        socket.send(Fixtures.read("slack/socket-mode/disconnect_" + reason + "_docs.json"));
    }

    /** Cuts {@code socket} without a closing handshake, as a network failure does. */
    public void drop(WebSocket socket) {
        socket.closeConnection(1006, "dropped by the stand-in");
    }

    /** A {@code slash_commands} envelope whose payload is the fields of the HTTP test's form body {@code form}. */
    public static String slashCommand(String envelopeId, String form) {
        ObjectNode envelope = template("envelope_slash_commands_java_sdk.json", envelopeId);
        ObjectNode payload = MAPPER.createObjectNode();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            payload.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
        }
        envelope.set("payload", payload);
        return envelope.toString();
    }

    /** An {@code interactive} envelope carrying the JSON of the HTTP test's body {@code payload=<url-encoded JSON>}. */
    public static String interactive(String envelopeId, String form) {
        if (!form.startsWith("payload=")) {
            throw new IllegalArgumentException("not an interactivity body");
        }
        ObjectNode envelope = template("envelope_interactive_block_actions_java_sdk.json", envelopeId);
        envelope.set("payload", parse(decode(form.substring("payload=".length()))));
        return envelope.toString();
    }

    /** An {@code events_api} envelope carrying the HTTP test's Events API body, on its {@code retryAttempt}. */
    public static String event(String envelopeId, String body, int retryAttempt, String retryReason) {
        ObjectNode envelope = template("envelope_events_api_java_sdk.json", envelopeId);
        envelope.set("payload", parse(body));
        envelope.put("retry_attempt", retryAttempt).put("retry_reason", retryReason);
        return envelope.toString();
    }

    private static ObjectNode template(String file, String envelopeId) {
        ObjectNode envelope = (ObjectNode) parse(Fixtures.read("slack/socket-mode/" + file));
        envelope.put("envelope_id", envelopeId);
        return envelope;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        Server() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            open.add(socket);
            opened.incrementAndGet();
            ObjectNode hello = (ObjectNode) parse(Fixtures.read("slack/socket-mode/hello_python_sdk.json"));
            hello.put("num_connections", open.size());
            socket.send(hello.toString());
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            open.remove(socket);
        }

        @Override
        public void onMessage(WebSocket socket, String message) {
            long arrived = System.nanoTime();
            if (losingAcks) {
                return;
            }
            JsonNode ack = parse(message);
            String id = ack.path("envelope_id").asText("");
            java.util.concurrent.CompletableFuture<Long> waiting = timed.get(id);
            if (waiting != null) {
                waiting.complete(arrived);
                return;
            }
            acks.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(ack);
            if (ack.has("payload")) {
                recorders.forEach(r -> r.recordAnswer(
                        "Socket Mode acknowledgement", ack.get("payload").toString()));
            }
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
            // A socket the bot closed or the test dropped; nothing to do.
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
