package io.firebreak.bot.slack.socket;

import io.firebreak.bot.platform.metrics.Metrics;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the Socket Mode connections this replica keeps open, across the WebSockets that serve it in turn. A
 * replacement (Slack's {@code disconnect}, a dropped socket) is opened before the old socket is let go: the old one
 * keeps answering the envelopes it brought and is closed once they are answered and the new one is greeted by Slack's
 * {@code hello}. Opening again after a failure waits longer each time (from half a second, doubling, up to 30 s).
 */
final class SocketConnection {
    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long a new socket may take to be greeted with Slack's hello before it is given up and opened again. */
    private static final Duration HELLO_WITHIN = Duration.ofSeconds(10);
    /** Seconds without an answer to a ping before a socket counts as lost. */
    private static final int LOST_AFTER_SECONDS = 30;

    /** Opens a new Socket Mode URL ({@code apps.connections.open}). */
    interface Opener {
        URI open() throws Exception;
    }

    /** Receives what arrives on a socket; called on the socket's own reading thread, so it must not block. */
    interface Receiver {
        void message(SocketConnection connection, Socket socket, String text);
    }

    private final int number;
    private final Opener opener;
    private final Receiver receiver;
    private final ScheduledExecutorService scheduler;
    private final Metrics metrics;

    /** The socket greeted by Slack that this connection answers on; null while there is none. */
    private Socket current;
    /** The socket being opened to take over; null when none is. */
    private Socket next;

    private int failures;
    private boolean stopped;

    SocketConnection(
            int number, Opener opener, Receiver receiver, ScheduledExecutorService scheduler, Metrics metrics) {
        this.number = number;
        this.opener = opener;
        this.receiver = receiver;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** Starts opening the first socket, in the background. */
    void start() {
        scheduler.execute(this::open);
    }

    /** True while a socket greeted by Slack is open. */
    synchronized boolean connected() {
        return current != null && current.isOpen();
    }

    /** Stops opening sockets and closes those open, at once: for after the envelopes in flight were answered. */
    void stop() {
        Socket a;
        Socket b;
        synchronized (this) {
            stopped = true;
            a = current;
            b = next;
            current = null;
            next = null;
        }
        for (Socket s : new Socket[] {a, b}) {
            if (s != null) {
                s.close(1000, "shutting down");
            }
        }
    }

    /**
     * Sends {@code text} on {@code preferred} if it is still open, else on this connection's current socket. False
     * when neither is open: Slack then delivers the envelope again.
     */
    boolean send(Socket preferred, String text) {
        Socket target = preferred.isOpen()
                ? preferred
                : currentSocket().filter(Socket::isOpen).orElse(null);
        if (target == null) {
            return false;
        }
        try {
            target.send(text);
            return true;
        } catch (RuntimeException e) {
            log.warn(
                    "Socket Mode connection {}: could not send an acknowledgement ({})",
                    number,
                    e.getClass().getSimpleName());
            return false;
        }
    }

    private synchronized Optional<Socket> currentSocket() {
        return Optional.ofNullable(current);
    }

    /** Slack's {@code hello} on {@code socket}: it takes over, and the socket it replaces is let go when idle. */
    void greeted(Socket socket) {
        Socket old;
        synchronized (this) {
            if (socket != next || stopped) {
                return;
            }
            old = current;
            current = socket;
            next = null;
            failures = 0;
        }
        log.info("Socket Mode connection {} is open", number);
        if (old != null) {
            old.retire();
        }
    }

    /**
     * Slack's {@code disconnect} on {@code socket}, with its {@code reason}: a new socket is opened now for
     * {@code refresh_requested} and {@code warning} (the old one still works meanwhile), after a backoff for the
     * others ({@code link_disabled}: Socket Mode was turned off in the app's settings; {@code too_many_websockets}).
     */
    void disconnectRequested(Socket socket, String reason) {
        metrics.socketReconnect(reason);
        boolean soon = reason.equals("refresh_requested") || reason.equals("warning");
        if (soon) {
            log.info("Socket Mode connection {}: Slack asked for a new connection ({})", number, reason);
        } else {
            log.warn("Socket Mode connection {}: Slack disconnects it ({}); opening a new one", number, reason);
        }
        synchronized (this) {
            if (socket != current || next != null || stopped) {
                return;
            }
            if (!soon) {
                failures++;
            }
            schedule(soon ? Duration.ZERO : backoff());
        }
    }

    private void closed(Socket socket, int code) {
        synchronized (this) {
            if (stopped || (socket != current && socket != next)) {
                return;
            }
            if (socket == current) {
                current = null;
                metrics.socketReconnect("dropped");
                log.warn("Socket Mode connection {} dropped (close code {}); opening a new one", number, code);
                if (next != null) {
                    return;
                }
            } else {
                next = null;
                metrics.socketReconnect("open_failed");
                log.warn("Socket Mode connection {} could not be opened (close code {})", number, code);
            }
            failures++;
            schedule(backoff());
        }
    }

    private void open() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        URI uri;
        try {
            uri = opener.open();
        } catch (Exception e) {
            synchronized (this) {
                failures++;
                Duration wait = backoff();
                metrics.socketReconnect("open_failed");
                // The message names Slack's error (invalid_auth, …) or the network's; never the token or the URL.
                log.warn(
                        "Socket Mode connection {}: apps.connections.open failed ({}); trying again in {} ms",
                        number,
                        e.getMessage(),
                        wait.toMillis());
                schedule(wait);
            }
            return;
        }
        Socket socket = new Socket(uri);
        synchronized (this) {
            if (stopped) {
                return;
            }
            next = socket;
        }
        socket.connect();
        scheduler.schedule(() -> helloOverdue(socket), HELLO_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A socket that connected but was never greeted is closed, which opens another after a backoff. */
    private void helloOverdue(Socket socket) {
        synchronized (this) {
            if (socket != next) {
                return;
            }
        }
        log.warn("Socket Mode connection {}: Slack did not say hello within {} s", number, HELLO_WITHIN.toSeconds());
        socket.close(1000, "no hello");
    }

    /** Must hold the lock. */
    private void schedule(Duration wait) {
        if (!stopped) {
            scheduler.schedule(this::open, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Must hold the lock: half a second after the first failure, doubling to 30 s, with a fifth of jitter. */
    private Duration backoff() {
        long base = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 10);
        long capped = Math.min(Math.max(base, FIRST_BACKOFF.toMillis()), MAX_BACKOFF.toMillis());
        long jitter = ThreadLocalRandom.current().nextLong(capped / 5 + 1);
        return Duration.ofMillis(capped - jitter);
    }

    /** One WebSocket of this connection; counts the envelopes it brought that are not answered yet. */
    final class Socket extends WebSocketClient {
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean retiring;

        Socket(URI uri) {
            super(uri);
            setConnectionLostTimeout(LOST_AFTER_SECONDS);
        }

        /** An envelope arrived on this socket and is being handled. */
        void taken() {
            inFlight.incrementAndGet();
        }

        /** An envelope of this socket was answered (or given up); a retiring socket closes when none is left. */
        void answered() {
            if (inFlight.decrementAndGet() == 0 && retiring) {
                close(1000, "replaced");
            }
        }

        void retire() {
            retiring = true;
            if (inFlight.get() == 0) {
                close(1000, "replaced");
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            // Slack's hello, not the handshake, says the socket is ready.
        }

        @Override
        public void onMessage(String message) {
            receiver.message(SocketConnection.this, this, message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed(this, code);
        }

        @Override
        public void onError(Exception e) {
            log.warn("Socket Mode connection {}: {}", number, e.getClass().getSimpleName());
        }
    }
}
