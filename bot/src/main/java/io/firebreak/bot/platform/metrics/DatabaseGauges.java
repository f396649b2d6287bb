package io.firebreak.bot.platform.metrics;

import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges that read the database: the job queue (db-scheduler's {@code scheduled_tasks}, through
 * {@code JobQueueDao}) and the open incidents by severity. One read serves every gauge for {@link #TTL}, so a
 * scrape costs one short transaction however many replicas and gauges there are; while the database is
 * unreachable the gauges read NaN rather than a stale number.
 */
public final class DatabaseGauges {
    private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);
    /** How long one read of the database serves the gauges. */
    public static final Duration TTL = Duration.ofSeconds(5);
    /** The label of incidents no one has assessed yet. */
    public static final String NOT_ASSESSED = "NOT_ASSESSED";
    /** Every severity label, so each series exists from the first scrape. */
    public static final List<String> SEVERITIES;

    static {
        List<String> all = new ArrayList<>();
        for (Severity s : Severity.values()) {
            all.add(s.name());
        }
        all.add(NOT_ASSESSED);
        SEVERITIES = List.copyOf(all);
    }

    private final Storage storage;
    private final Clock clock;
    private Optional<Sample> last = Optional.empty();

    public DatabaseGauges(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /**
     * What the gauges read.
     *
     * @param at     when it was read
     * @param queued jobs waiting or running; NaN when unknown
     * @param oldestDueAgeSeconds how long the oldest due, unclaimed job has waited; 0 when none; NaN when unknown
     * @param open   open incidents per severity label; empty when unknown
     */
    public record Sample(Instant at, double queued, double oldestDueAgeSeconds, Map<String, Long> open) {
        /** Open incidents of {@code severity}: 0 when there are none, NaN when unknown. */
        public double open(String severity) {
            if (Double.isNaN(queued)) {
                return Double.NaN;
            }
            return open.getOrDefault(severity, 0L);
        }

        static Sample unknown(Instant at) {
            return new Sample(at, Double.NaN, Double.NaN, Map.of());
        }
    }

    /** The latest sample, read again when older than {@link #TTL}. */
    public synchronized Sample current() {
        Instant now = clock.instant();
        if (last.isEmpty() || !last.get().at().plus(TTL).isAfter(now)) {
            last = Optional.of(read(now));
        }
        return last.get();
    }

    private Sample read(Instant now) {
        try {
            return storage.inTransaction(tx -> {
                double queued = tx.jobs().depth();
                double age = tx.jobs()
                        .oldestDue()
                        .map(due -> Math.max(0, Duration.between(due, now).toMillis() / 1000.0))
                        .orElse(0.0);
                Map<String, Long> open = tx.incidents().countOpenBySeverity(NOT_ASSESSED);
                return new Sample(now, queued, age, open);
            });
        } catch (RuntimeException e) {
            log.warn("metrics could not read the database: {}", Database.describeFailure(e));
            return Sample.unknown(now);
        }
    }
}
