package io.firebreak.bot.slack.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.bot.slack.SlackRequestKind;
import io.firebreak.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's requests over Socket Mode, into the same Bolt {@link App} that serves {@code /slack/events}: the same
 * middleware (access policy), handlers and storage. Bolt parses each envelope ({@link SocketModeRequestParser}, which
 * also turns {@code retry_attempt} into the {@code X-Slack-Retry-Num} header handlers see over HTTP), and Bolt's
 * signature check lets Socket Mode requests through, as they carry none.
 *
 * <p>What this adds to Bolt's own {@code SocketModeClient}: several connections, each replaced without a gap (see
 * {@link SocketConnection}); envelopes de-duplicated across connections and replicas in the database
 * ({@link Deliveries}), a copy being answered with the first one's answer; acknowledgements sent on the socket the
 * envelope came on; and a shutdown that answers every envelope taken before closing the sockets.
 *
 * <p>Why the WebSocket is Java-WebSocket's and not Bolt's {@code SocketModeClientJavaWSImpl} (1.47.0): that client
 * sends every ack on its current session, which after a {@code disconnect} is a new socket still connecting (the send
 * fails, and the envelope comes back); it reconnects on any {@code disconnect} inside a default method at once, with
 * no backoff and no hook for metrics; it can tell whether a session is open only by pinging for up to 3 s; and its
 * workers poll the message queue every 10 ms. Its envelope parser, request types and {@code App} are used as they are.
 */
public final class SocketModeReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketModeReceiver.class);
    private static final Set<String> ENVELOPES = Set.of("slash_commands", "interactive", "events_api");
    /** How long a copy of an envelope still being handled elsewhere waits for its answer. */
    private static final Duration COPY_WAIT = Duration.ofSeconds(2);

    private final App app;
    private final SocketModeRequestParser parser;
    private final Deliveries deliveries;
    private final Metrics metrics;
    private final Set<String> subcommands;
    private final ObjectMapper mapper;
    private final List<SocketConnection> connections = new ArrayList<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private volatile boolean taking = true;

    /**
     * {@code connections} WebSockets opened with {@code appToken} through {@code slack}'s {@code apps.connections.open}
     * (at {@code SLACK_API_URL}); {@code subcommands} name the metrics' commands as over HTTP.
     */
    public SocketModeReceiver(
            App app,
            Slack slack,
            Secret appToken,
            int connections,
            Storage storage,
            Clock clock,
            Metrics metrics,
            Set<String> subcommands,
            ObjectMapper mapper) {
        this.app = app;
        this.parser = new SocketModeRequestParser(app.config());
        this.deliveries = new Deliveries(storage, clock);
        this.metrics = metrics;
        this.subcommands = Set.copyOf(subcommands);
        this.mapper = mapper;
        this.workers = Executors.newFixedThreadPool(16, daemon("socket-mode"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("socket-mode-connect"));
        SocketConnection.Opener opener = () -> open(slack, appToken);
        for (int i = 1; i <= connections; i++) {
            this.connections.add(new SocketConnection(i, opener, this::message, scheduler, metrics));
        }
        metrics.socketConnections(this::connected);
    }

    /** Opens every connection, in the background: Slack being unreachable does not stop the bot starting. */
    public void start() {
        log.info("Socket Mode: opening {} connections to Slack", connections.size());
        connections.forEach(SocketConnection::start);
    }

    /** How many connections are open now. */
    public int connected() {
        return (int) connections.stream().filter(SocketConnection::connected).count();
    }

    /** For {@code /healthz}: {@code socket: 2 of 2 connected}. */
    public String state() {
        return "socket: " + connected() + " of " + connections.size() + " connected";
    }

    /**
     * Stops taking envelopes, answers those taken (waiting up to {@code wait}), then closes the sockets. Envelopes that
     * arrive meanwhile are not acknowledged, so Slack delivers them again, to another replica.
     */
    public void close(Duration wait) {
        taking = false;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Socket Mode envelopes were still being handled at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(SocketConnection::stop);
        scheduler.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(20));
    }

    private static URI open(Slack slack, Secret appToken) throws IOException {
        AppsConnectionsOpenResponse opened;
        try {
            opened = slack.methods(appToken.value()).appsConnectionsOpen(r -> r);
        } catch (com.slack.api.methods.SlackApiException e) {
            throw new IOException("HTTP " + e.getResponse().code());
        }
        if (!opened.isOk() || opened.getUrl() == null) {
            throw new IOException(Optional.ofNullable(opened.getError()).orElse("no url"));
        }
        return URI.create(opened.getUrl());
    }

    /** On a socket's reading thread: Slack's own messages at once, envelopes to the workers. */
    private void message(SocketConnection connection, SocketConnection.Socket socket, String text) {
        long arrived = System.nanoTime();
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (IOException e) {
            log.warn("Socket Mode connection sent something that is not JSON; ignored");
            return;
        }
        String type = message.path("type").asText("");
        if (type.equals("hello")) {
            metrics.socketEnvelope(type, "received");
            connection.greeted(socket);
        } else if (type.equals("disconnect")) {
            metrics.socketEnvelope(type, "received");
            connection.disconnectRequested(socket, message.path("reason").asText("unknown"));
        } else if (ENVELOPES.contains(type)) {
            take(connection, socket, type, message, text, arrived);
        } else {
            metrics.socketEnvelope(type, "ignored");
        }
    }

    private void take(
            SocketConnection connection,
            SocketConnection.Socket socket,
            String type,
            JsonNode envelope,
            String text,
            long arrived) {
        if (!taking) {
            metrics.socketEnvelope(type, "not_taken");
            return;
        }
        socket.taken();
        try {
            workers.execute(() -> {
                try (LogContext.Scope scope = LogContext.request(null)) {
                    handle(connection, socket, type, envelope, text, arrived);
                } finally {
                    socket.answered();
                }
            });
        } catch (RejectedExecutionException e) {
            socket.answered();
            metrics.socketEnvelope(type, "not_taken");
        }
    }

    private void handle(
            SocketConnection connection,
            SocketConnection.Socket socket,
            String type,
            JsonNode envelope,
            String text,
            long arrived) {
        String envelopeId = envelope.path("envelope_id").asText("");
        JsonNode payload = envelope.path("payload");
        SlackRequestKind kind = SlackRequestKind.ofEnvelope(type, payload, subcommands);
        String key = deliveryKey(type, envelopeId, payload);
        Optional<Boolean> mine = claim(key);
        if (mine.isPresent() && !mine.get()) {
            answerCopy(connection, socket, type, envelopeId, key);
            return;
        }
        try {
            SocketModeRequest request = parser.parse(text);
            Response response = app.run(request.getBoltRequest());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - arrived);
            metrics.slackRequest(kind.kind(), kind.command(), response.getStatusCode(), elapsed);
            if (response.getStatusCode() != 200) {
                // As over HTTP, where Slack gets the error status: no ack, so Slack may deliver it again.
                log.warn("Socket Mode {} envelope answered {}; not acknowledged", type, response.getStatusCode());
                mine.ifPresent(m -> deliveries.release(key));
                metrics.socketEnvelope(type, "failed");
                return;
            }
            String answer = payload(response);
            connection.send(socket, ack(envelopeId, answer));
            metrics.slackAck(kind.kind(), Duration.ofNanos(System.nanoTime() - arrived));
            mine.ifPresent(m -> deliveries.finish(key, answer));
            metrics.socketEnvelope(type, "handled");
        } catch (Exception e) {
            log.error("Socket Mode {} envelope failed", type, e);
            mine.ifPresent(m -> releaseQuietly(key));
            metrics.socketEnvelope(type, "failed");
        }
    }

    /** True when this replica takes {@code key}; empty when the database cannot say (handled, as without it). */
    private Optional<Boolean> claim(String key) {
        try {
            return Optional.of(deliveries.claim(key));
        } catch (RuntimeException e) {
            log.warn(
                    "Socket Mode: could not record the envelope as taken ({}); handling it anyway",
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** A copy of an envelope already taken: answered as the first one was, once that one is answered. */
    private void answerCopy(
            SocketConnection connection, SocketConnection.Socket socket, String type, String envelopeId, String key) {
        try {
            Optional<String> answer = deliveries.answer(key, COPY_WAIT);
            if (answer.isPresent()) {
                connection.send(socket, ack(envelopeId, answer.get()));
                metrics.socketEnvelope(type, "duplicate");
            } else {
                // Still being handled, or its handling failed: Slack delivers it again.
                metrics.socketEnvelope(type, "duplicate_pending");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn(
                    "Socket Mode: could not read an earlier answer ({})",
                    e.getClass().getSimpleName());
        }
    }

    private void releaseQuietly(String key) {
        try {
            deliveries.release(key);
        } catch (RuntimeException e) {
            log.warn(
                    "Socket Mode: could not release an envelope ({})",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * What identifies a delivery across its copies: an event's {@code event_id} (the same on every retry of it), else
     * the envelope's id.
     */
    static String deliveryKey(String type, String envelopeId, JsonNode payload) {
        String eventId = payload.path("event_id").asText("");
        if (type.equals("events_api") && !eventId.isEmpty()) {
            return "slack-event:" + eventId;
        }
        return "slack-envelope:" + envelopeId;
    }

    /** Bolt's answer as an envelope's {@code payload}: its JSON, text as {@code {"text": …}}, or empty for none. */
    private String payload(Response response) throws IOException {
        String body = response.getBody();
        if (body == null || body.isEmpty()) {
            return "";
        }
        // The same redactor as an HTTP ack's (RedactingFilter): nothing token-shaped leaves in an answer.
        body = Redactor.redact(body);
        if (response.getContentType() != null && response.getContentType().startsWith("application/json")) {
            return mapper.readTree(body).toString();
        }
        return mapper.createObjectNode().put("text", body).toString();
    }

    private String ack(String envelopeId, String payload) {
        ObjectNode ack = mapper.createObjectNode().put("envelope_id", envelopeId);
        if (!payload.isEmpty()) {
            try {
                ack.set("payload", mapper.readTree(payload));
            } catch (IOException e) {
                throw new IllegalStateException("a stored answer is not JSON", e);
            }
        }
        return ack.toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
