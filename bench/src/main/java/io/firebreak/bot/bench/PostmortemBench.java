package io.firebreak.bot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.postmortem.PostmortemWriter;
import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Generates the postmortem of an incident with 10,000 timeline events (notes, phase changes, severity changes)
 * from a real PostgreSQL, and prints the time and the peak heap it took.
 */
public final class PostmortemBench {
    static final int EVENTS = 10_000;
    static final int RUNS = 7;

    private PostmortemBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        String result = run();
        System.out.print(result);
        Path results = root.resolve("bench/results");
        Files.createDirectories(results);
        Files.writeString(
                results.resolve("postmortem-" + Instant.now().toString().replace(':', '-') + ".txt"), result);
        System.exit(0);
    }

    /** Seeds the incident on a fresh database of the shared embedded PostgreSQL, then times {@value #RUNS} generations. */
    public static String run() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (Database database = Database.connect(SharedPostgres.freshDatabase(), Duration.ofSeconds(5))) {
            Storage storage = new Storage(database.jdbi(), mapper, Clock.systemUTC());
            IncidentService incidents = new IncidentService(storage, mapper, () -> {}, Responders.everyone());
            IncidentKey key = incidents
                    .open(new IncidentService.OpenRequest(
                            "Refund agent sent wrong refunds to 300 customers",
                            Optional.of(Severity.HIGH),
                            "U0BENCH001",
                            Optional.of("C0BENCH001"),
                            "slash-command"))
                    .key();
            long t0 = System.nanoTime();
            for (int batch = 0; batch < EVENTS - 1; batch += 500) {
                int from = batch;
                storage.inTransaction(tx -> {
                    for (int i = from; i < Math.min(EVENTS - 1, from + 500); i++) {
                        tx.timeline()
                                .append(
                                        key.id(),
                                        "U0BENCH00" + (i % 7),
                                        i % 50 == 0 ? "severity_changed" : "note",
                                        mapper.createObjectNode()
                                                .put(
                                                        "text",
                                                        "Investigation note " + i
                                                                + ": refunds | payouts checked for batch " + i)
                                                .put("from", "HIGH")
                                                .put("to", "CRITICAL")
                                                .put("reason", "bench"));
                    }
                    return null;
                });
            }
            String seeded = String.format(
                    "seeded %,d timeline events in %d ms%n", EVENTS, (System.nanoTime() - t0) / 1_000_000);

            PostmortemWriter writer = new PostmortemWriter(storage, List.of());
            String[] markdown = {writer.write(key).orElseThrow()};
            writer.write(key);
            List<Measured> runs = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                runs.add(Measured.measure(() -> markdown[0] = writer.write(key).orElseThrow()));
            }
            runs.sort(Comparator.comparing(Measured::elapsed));
            long peak = runs.stream().mapToLong(Measured::peakHeapBytes).max().orElse(0);
            long before =
                    runs.stream().mapToLong(Measured::heapBeforeBytes).min().orElse(0);
            return seeded
                    + String.format(
                            "postmortem of an incident with %,d timeline events: median %d ms, max %d ms over %d runs; "
                                    + "%,d KB of Markdown; peak heap %d MB (sampled every ms, %d MB in use before; JVM max %d MB)%n",
                            EVENTS,
                            runs.get(RUNS / 2).elapsed().toMillis(),
                            runs.get(RUNS - 1).elapsed().toMillis(),
                            RUNS,
                            markdown[0].getBytes(StandardCharsets.UTF_8).length / 1024,
                            peak >> 20,
                            before >> 20,
                            Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
