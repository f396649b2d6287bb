package io.firebreak.bot.platform.logging;

import io.firebreak.storage.incident.IncidentKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * What every log line says about where it comes from: the request id of the HTTP request or job run, and the
 * incident it is about once that is known. Kept in SLF4J's MDC, so the JSON encoder writes them as fields
 * ({@code request_id}, {@code incident}, {@code job}) and the text format shows them.
 */
public final class LogContext {
    public static final String REQUEST_ID = "request_id";
    public static final String INCIDENT = "incident";
    public static final String JOB = "job";
    /** A request id a load balancer or client sent that is safe to log as it is. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private LogContext() {}

    /** Restores the context that was there before, whatever the work in between put in it. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Starts the context of one HTTP request: {@code requestId} if it is a safe token, a fresh id otherwise. */
    public static Scope request(String requestId) {
        return replace(Map.of(
                REQUEST_ID, requestId != null && SAFE_ID.matcher(requestId).matches() ? requestId : newId()));
    }

    /** Starts the context of one run of a durable job, with a fresh request id. */
    public static Scope job(String task, String instance) {
        return replace(Map.of(REQUEST_ID, newId(), JOB, task + "/" + instance));
    }

    /** The request id of the current context, if any. */
    public static String requestId() {
        return MDC.get(REQUEST_ID);
    }

    /** Marks the rest of the current request or job as being about {@code key}. */
    public static void incident(IncidentKey key) {
        MDC.put(INCIDENT, key.toString());
    }

    /**
     * A new random request id: 16 hex digits. It has to be unique, not secret, so it is drawn from the thread's own
     * generator: a shared {@code SecureRandom} is one lock (and a read of the system's entropy) for every request.
     */
    public static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * {@code executor}, with each task run in the context of the thread that handed it over: work done after a
     * Slack ack logs the request id and incident of the request that asked for it.
     */
    public static ExecutorService carrying(ExecutorService executor) {
        return new Carrying(executor);
    }

    private static Scope replace(Map<String, String> entries) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.clear();
        entries.forEach(MDC::put);
        return () -> restore(previous);
    }

    private static void restore(Map<String, String> previous) {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }

    /** Hands each task the submitter's MDC; everything else goes to the wrapped executor. */
    private static final class Carrying extends AbstractExecutorService {
        private final ExecutorService delegate;

        Carrying(ExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            Map<String, String> context = MDC.getCopyOfContextMap();
            delegate.execute(() -> {
                Map<String, String> previous = MDC.getCopyOfContextMap();
                restore(context);
                try {
                    task.run();
                } finally {
                    restore(previous);
                }
            });
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }
}
