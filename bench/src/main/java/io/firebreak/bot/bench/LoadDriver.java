package io.firebreak.bot.bench;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.bot.testing.TestBot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends signed Slack requests to one {@code /slack/events} endpoint over HTTP/1.1 keep-alive connections and times
 * each ack: in a closed loop (each connection sends its next request as soon as the last is answered), or in an open
 * loop at a fixed rate, where latency counts from when the request was due, so a stall is not hidden by the requests
 * it delayed.
 */
final class LoadDriver {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_SAMPLES = 3;

    /**
     * One request.
     *
     * @param body     the form body, as Slack sends it
     * @param seq      its number, unique in the run, which its text carries
     * @param incident the incident it is about, if any (else 0)
     */
    record Request(String body, long seq, long incident) {}

    /** What to send, and what counts as Slack's ack of it. */
    interface Workload {
        /** The next request; every body is different. */
        Request next();

        /** True when {@code response} is the ack {@code request} should get (the workload may record it). */
        boolean accepted(Request request, HttpResponse<String> response);
    }

    /** What one phase measured: latency of every answered request, how many were acked as expected, and failures. */
    record Phase(Latencies latencies, long accepted, long errors, Duration elapsed, List<String> errorSamples) {
        double throughput() {
            return accepted / (elapsed.toNanos() / 1e9);
        }
    }

    private final URI uri;
    private final SlackSigner signer;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    // Blocking sends on reused threads: sendAsync completes on the common pool, which on 2 cores starts a thread per
    // response.
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "load-sender");
        t.setDaemon(true);
        return t;
    });

    LoadDriver(URI slackEvents, String signingSecret) {
        this.uri = slackEvents;
        this.signer = new SlackSigner(new Secret(signingSecret));
    }

    /** {@code connections} senders, each waiting for its ack before the next request, for {@code duration}. */
    Phase closedLoop(Workload workload, int connections, Duration duration) throws InterruptedException {
        Recorder recorder = new Recorder(workload);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> loops = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread loop = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            send(workload.next(), System.nanoTime(), recorder);
                        }
                    },
                    "load-" + c);
            loop.start();
            loops.add(loop);
        }
        for (Thread loop : loops) {
            loop.join();
        }
        return recorder.phase(Duration.ofNanos(System.nanoTime() - start));
    }

    /** {@code perSecond} requests a second, each sent when due whether or not earlier ones were answered. */
    Phase fixedRate(Workload workload, int perSecond, Duration duration) {
        Recorder recorder = new Recorder(workload);
        long period = 1_000_000_000L / perSecond;
        long total = duration.toNanos() / period;
        Phaser inFlight = new Phaser(1);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Request request = workload.next();
            inFlight.register();
            senders.execute(() -> {
                send(request, due, recorder);
                inFlight.arriveAndDeregister();
            });
        }
        inFlight.arriveAndAwaitAdvance();
        return recorder.phase(Duration.ofNanos(System.nanoTime() - start));
    }

    /** Sends {@code request} and records its latency counted from {@code dueNanos}. */
    private void send(Request request, long dueNanos, Recorder recorder) {
        try {
            recorder.answered(request, dueNanos, client.send(signed(request), HttpResponse.BodyHandlers.ofString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorder.failed(e);
        } catch (Exception e) {
            recorder.failed(e);
        }
    }

    private HttpRequest signed(Request request) {
        long now = System.currentTimeMillis() / 1000;
        return TestBot.slackRequest(uri, request.body(), FORM, now, signer.sign(now, request.body()))
                .timeout(TIMEOUT)
                .build();
    }

    /** Latencies, counts and a few distinct failures of one phase. */
    private static final class Recorder {
        private final Workload workload;
        private final Latencies latencies = new Latencies();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final Set<String> samples = ConcurrentHashMap.newKeySet();

        Recorder(Workload workload) {
            this.workload = workload;
        }

        /** Records the answer to {@code request}, its latency counted from {@code dueNanos}. */
        void answered(Request request, long dueNanos, HttpResponse<String> response) {
            latencies.add(System.nanoTime() - dueNanos);
            if (workload.accepted(request, response)) {
                accepted.incrementAndGet();
            } else {
                errors.incrementAndGet();
                sample("HTTP " + response.statusCode() + ": "
                        + response.body()
                                .substring(0, Math.min(160, response.body().length())));
            }
        }

        void failed(Throwable failure) {
            errors.incrementAndGet();
            sample(failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
        }

        private void sample(String what) {
            if (samples.size() < ERROR_SAMPLES) {
                samples.add(what.replace('\n', ' '));
            }
        }

        Phase phase(Duration elapsed) {
            return new Phase(latencies, accepted.get(), errors.get(), elapsed, List.copyOf(samples));
        }
    }
}
