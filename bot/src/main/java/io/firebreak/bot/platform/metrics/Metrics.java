package io.firebreak.bot.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every metric Firebreak exports, one method each, served in Prometheus' format at {@code GET /metrics}.
 * Label values are checked and bounded, so a metric never grows without limit whatever the input.
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><td>{@code firebreak_slack_request_seconds{kind,command,status}}</td><td>{@link #slackRequest}</td></tr>
 *   <tr><td>{@code firebreak_slack_ack_seconds{kind}}, {@code firebreak_slack_late_acks_total{kind}}</td><td>{@link #slackAck}</td></tr>
 *   <tr><td>{@code firebreak_containment_actions_total{action,outcome}}</td><td>{@link #containmentFired},
 *       {@link #containmentSucceeded}, {@link #containmentFailed}</td></tr>
 *   <tr><td>{@code firebreak_evidence_fetches_total{source,outcome}}</td><td>{@link #evidenceFetch}</td></tr>
 *   <tr><td>{@code firebreak_jobs_run_seconds{task,outcome}}</td><td>{@link #jobRun}</td></tr>
 *   <tr><td>{@code firebreak_jobs_queued}, {@code firebreak_jobs_oldest_due_age_seconds},
 *       {@code firebreak_incidents_open{severity}}</td><td>{@link #watch(DatabaseGauges)}</td></tr>
 * </table>
 */
public final class Metrics implements AutoCloseable {
    /** Slack wants an answer within this; slower acks are counted as late. */
    public static final Duration SLACK_ACK_DEADLINE = Duration.ofSeconds(3);
    /** The label value for what was not given. */
    public static final String NONE = "none";
    /** The label value for what is not a safe label, or one label value too many. */
    public static final String OTHER = "other";
    /** How many values one label may take before the rest are counted as {@link #OTHER}. */
    static final int MAX_VALUES_PER_LABEL = 100;

    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.:/-]{1,64}");
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    /** Built once: it is recorded for every transaction. */
    private final Timer connectionWaits = Timer.builder("firebreak.db.connection.wait")
            .description("Time waited for a pooled database connection")
            .serviceLevelObjectives(
                    Duration.ofMillis(1),
                    Duration.ofMillis(5),
                    Duration.ofMillis(25),
                    Duration.ofMillis(100),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(3))
            .register(registry);

    private JvmGcMetrics gc;

    /** Adds the JVM's own metrics (memory, GC, threads, classes, CPU, uptime). Call once. */
    public Metrics withJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /**
     * One Slack request answered: how long from its arrival to the answer, by {@code kind} ({@code command},
     * {@code block_actions}, {@code view_submission}, {@code event_callback}, …), {@code command} (the subcommand,
     * action id, callback id or event type) and HTTP {@code status}.
     */
    public void slackRequest(String kind, String command, int status, Duration elapsed) {
        Timer.builder("firebreak.slack.request")
                .description("Time from a Slack request's arrival to Firebreak's answer")
                .tags(
                        "kind",
                        label("kind", kind),
                        "command",
                        label("command", command),
                        "status",
                        String.valueOf(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(elapsed);
    }

    /** How long Slack waited for the acknowledgement of a request of {@code kind}; over 3 s also counts as late. */
    public void slackAck(String kind, Duration elapsed) {
        String k = label("kind", kind);
        Timer.builder("firebreak.slack.ack")
                .description("Time Slack waited for its acknowledgement (Slack gives up after 3 s)")
                .tags("kind", k)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(elapsed);
        Counter late = Counter.builder("firebreak.slack.late.acks")
                .description("Slack requests acknowledged after Slack's 3 s deadline")
                .tags("kind", k)
                .register(registry);
        if (elapsed.compareTo(SLACK_ACK_DEADLINE) > 0) {
            late.increment();
        }
    }

    /**
     * A Socket Mode message of {@code type} ({@code slash_commands}, {@code interactive}, {@code events_api},
     * {@code hello}, {@code disconnect}) ended with {@code outcome} ({@code handled}, {@code duplicate},
     * {@code failed}, {@code not_taken} while shutting down, {@code received} for the others).
     */
    public void socketEnvelope(String type, String outcome) {
        Counter.builder("firebreak.slack.socket.envelopes")
                .description("Socket Mode messages received, by type and what became of them")
                .tags("type", label("type", type), "outcome", label("outcome", outcome))
                .register(registry)
                .increment();
    }

    /**
     * A Socket Mode connection was replaced, because of {@code reason}: Slack's {@code disconnect} reason
     * ({@code refresh_requested}, {@code warning}, {@code link_disabled}, …), {@code dropped} (the socket closed), or
     * {@code open_failed} (a new connection could not be opened; tried again with backoff).
     */
    public void socketReconnect(String reason) {
        Counter.builder("firebreak.slack.socket.reconnects")
                .description("Socket Mode connections replaced, by reason")
                .tags("reason", label("reason", reason))
                .register(registry)
                .increment();
    }

    /** Exports {@code connected}: how many Socket Mode connections are open and greeted by Slack right now. */
    public void socketConnections(java.util.function.Supplier<Number> connected) {
        Gauge.builder(
                        "firebreak.slack.socket.connections",
                        connected,
                        c -> c.get().doubleValue())
                .description("Socket Mode connections open on this replica")
                .strongReference(true)
                .register(registry);
    }

    /**
     * A Slack request that ran past its budget ({@code FIREBREAK_REQUEST_BUDGET}) and was answered at its deadline:
     * {@code outcome} {@code busy} (nothing was written) or {@code maybe_saved}.
     */
    public void pastBudget(String kind, String outcome) {
        Counter.builder("firebreak.slack.past.budget")
                .description("Slack requests answered at their deadline, past their budget, by what they were told")
                .tags("kind", label("kind", kind), "outcome", label("outcome", outcome))
                .register(registry)
                .increment();
    }

    /** How long a database connection was waited for (every connection the bot's transactions take from the pool). */
    public void connectionWait(long nanos) {
        connectionWaits.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A containment action's call was sent to its target. */
    public void containmentFired(String action) {
        containment(action, "fired");
    }

    /** A containment action's call was accepted by its target (and verified, where the action has a check). */
    public void containmentSucceeded(String action) {
        containment(action, "succeeded");
    }

    /** A containment action failed for good: refused, or out of retries. */
    public void containmentFailed(String action) {
        containment(action, "failed");
    }

    /**
     * One evidence fetch from a tracing backend ({@code source}: {@code langfuse}, {@code langsmith}, {@code otel}, …)
     * ended with {@code outcome} ({@code complete}, {@code partial}, {@code not_found}, {@code retry}, {@code failed}, …).
     */
    public void evidenceFetch(String source, String outcome) {
        Counter.builder("firebreak.evidence.fetches")
                .description("Evidence fetches from tracing backends, by source and outcome")
                .tags("source", label("source", source), "outcome", label("outcome", outcome))
                .register(registry)
                .increment();
    }

    /**
     * Slack refused a payload ({@code invalid_blocks}, {@code invalid_arguments}, …) from {@code method}: a message or
     * view that nobody saw. Should stay at zero; any rise is a Block Kit limit Firebreak does not yet keep.
     */
    public void slackRefused(String method, String error) {
        Counter.builder("firebreak.slack.refused")
                .description("Payloads Slack refused as invalid, by Web API method and error")
                .tags("method", label("method", method), "error", label("error", error))
                .register(registry)
                .increment();
    }

    /** One run of a durable job of {@code task} ended with {@code outcome} ({@code done}, {@code retry}, {@code failed}). */
    public void jobRun(String task, String outcome, Duration elapsed) {
        Timer.builder("firebreak.jobs.run")
                .description("Runs of durable jobs on this replica, by task and outcome")
                .tags("task", label("task", task), "outcome", label("outcome", outcome))
                .register(registry)
                .record(elapsed);
    }

    /**
     * Exports what {@code gauges} reads from the database: the job queue's depth and the age of its oldest due job
     * (shared by every replica), and the open incidents by severity ({@code NOT_ASSESSED} for those without one).
     */
    public Metrics watch(DatabaseGauges gauges) {
        // Strong references: Micrometer holds a gauge's object weakly, and nothing else keeps this one.
        Gauge.builder("firebreak.jobs.queued", gauges, g -> g.current().queued())
                .description("Durable jobs waiting or running, all replicas together")
                .strongReference(true)
                .register(registry);
        Gauge.builder("firebreak.jobs.oldest.due.age", gauges, g -> g.current().oldestDueAgeSeconds())
                .description("How long the longest-waiting due job has waited to be claimed (0 when none waits)")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
        for (String severity : DatabaseGauges.SEVERITIES) {
            Gauge.builder("firebreak.incidents.open", gauges, g -> g.current().open(severity))
                    .description("Incidents not closed, by severity")
                    .tags(Tags.of("severity", severity))
                    .strongReference(true)
                    .register(registry);
        }
        return this;
    }

    /** Everything, in Prometheus' text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, for binding other libraries' metrics. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    private void containment(String action, String outcome) {
        Counter.builder("firebreak.containment.actions")
                .description("Containment actions by action id and outcome: fired, succeeded, failed")
                .tags("action", label("action", action), "outcome", outcome)
                .register(registry)
                .increment();
    }

    /** {@code value} if it is a safe label value this label has room for, else {@link #NONE} or {@link #OTHER}. */
    String label(String name, String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        if (!SAFE_VALUE.matcher(value).matches()) {
            return OTHER;
        }
        Set<String> values = seen.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet());
        if (values.contains(value) || (values.size() < MAX_VALUES_PER_LABEL && values.add(value))) {
            return value;
        }
        return OTHER;
    }
}
