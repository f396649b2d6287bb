package io.firebreak.bot.platform.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.storage.jobs.JobQueueDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable jobs on PostgreSQL through db-scheduler: they survive restarts, and with several replicas on one
 * database each due job is claimed by one of them. Jobs are enqueued in a transaction with
 * {@code JobQueueDao}; due jobs run highest priority first. {@link #wake()} asks this replica to look for due jobs at
 * once instead of at its next poll. Jobs below {@code URGENT} priority (card updates, notices) give way to a burst of
 * Slack requests ({@link Foreground}): they wait while the replica is busy acking, and catch up after.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);
    /** How often replicas look for due jobs when nobody wakes them. */
    static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);
    /** Unexpected failures are retried this many times before the job is dropped (and logged). */
    static final int MAX_UNEXPECTED_FAILURES = 8;

    private final DataSource dataSource;
    private final Clock clock;
    private final int threads;
    private final Metrics metrics;
    private final Foreground foreground;
    private volatile Scheduler scheduler;

    /** Runs jobs on {@code threads} threads of this replica, timing each run in {@code metrics}; none gives way. */
    public Jobs(DataSource dataSource, Clock clock, int threads, Metrics metrics) {
        this(dataSource, clock, threads, metrics, new Foreground());
    }

    /** As above; jobs below {@code URGENT} priority give way to the requests counted in {@code foreground}. */
    public Jobs(DataSource dataSource, Clock clock, int threads, Metrics metrics, Foreground foreground) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.threads = threads;
        this.metrics = metrics;
        this.foreground = foreground;
    }

    /**
     * Starts claiming and running due jobs of the kinds given, including those left from before a restart.
     *
     * @throws IllegalArgumentException when two handlers claim one task name
     */
    public synchronized void start(List<Job> jobs) {
        if (scheduler != null) {
            throw new IllegalStateException("jobs already started");
        }
        Map<String, Job> handlers = new LinkedHashMap<>();
        jobs.forEach(job -> {
            if (handlers.putIfAbsent(job.task(), job) != null) {
                throw new IllegalArgumentException("two handlers for job " + job.task());
            }
        });
        List<Task<?>> tasks = new ArrayList<>();
        handlers.forEach((name, job) -> tasks.add(Tasks.oneTime(name)
                .onFailure(new Backoff(clock, job.onGiveUp()))
                .execute((instance, context) -> {
                    if (instance.getPriority() < JobQueueDao.URGENT) {
                        foreground.yieldTo();
                    }
                    run(name, job.handler(), instance.getId());
                })));
        scheduler = Scheduler.create(dataSource, tasks)
                .threads(threads)
                .enablePriority()
                .pollingInterval(POLLING_INTERVAL)
                .pollUsingLockAndFetch(0.5, 1.0)
                .heartbeatInterval(Duration.ofSeconds(5))
                .shutdownMaxWait(Duration.ofSeconds(15))
                .build();
        scheduler.start();
    }

    /** Runs one job with its own request id in the log context, and times it. */
    private void run(String task, JobHandler handler, String instance) {
        long started = System.nanoTime();
        String outcome = "failed";
        try (LogContext.Scope scope = LogContext.job(task, instance)) {
            handler.run(instance);
            outcome = "done";
        } catch (RetryLater e) {
            outcome = "retry";
            throw e;
        } finally {
            metrics.jobRun(task, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Looks for due jobs now; call after committing a transaction that enqueued one. No-op before start. */
    public void wake() {
        Scheduler running = scheduler;
        if (running != null) {
            running.triggerCheckForDueExecutions();
        }
    }

    /** Stops taking jobs and waits for those running to finish. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    /** Runs {@link RetryLater} jobs when they asked; backs off exponentially on anything else, a bounded number of times. */
    private static final class Backoff implements FailureHandler<Void> {
        private final Clock clock;
        private final GiveUp giveUp;

        Backoff(Clock clock, GiveUp giveUp) {
            this.clock = clock;
            this.giveUp = giveUp;
        }

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
            String id = complete.getExecution().taskInstance.getTaskAndInstance();
            Throwable cause = complete.getCause().orElse(null);
            if (cause instanceof RetryLater retry) {
                log.info("job {} will run again at {}: {}", id, retry.at(), retry.getMessage());
                operations.reschedule(complete, retry.at());
                return;
            }
            int failures = complete.getExecution().consecutiveFailures + 1;
            if (failures >= MAX_UNEXPECTED_FAILURES) {
                log.error("job {} failed {} times and is given up", id, failures, cause);
                String instance = complete.getExecution().taskInstance.getId();
                try (LogContext.Scope scope =
                        LogContext.job(complete.getExecution().taskInstance.getTaskName(), instance)) {
                    giveUp.gaveUp(
                            instance,
                            failures,
                            cause == null ? "unknown" : cause.getClass().getSimpleName());
                } catch (RuntimeException e) {
                    // Still stopped: running the failing job for ever helps nobody; the error says what still waits.
                    log.error("job {} was given up but what waits on it could not be settled", id, e);
                }
                operations.stop();
                return;
            }
            Instant next = clock.instant().plus(Duration.ofSeconds(Math.min(300, 1L << failures)));
            log.warn(
                    "job {} failed ({}), retry {} at {}",
                    id,
                    cause == null ? "unknown" : cause.toString(),
                    failures,
                    next);
            operations.reschedule(complete, next);
        }
    }
}
