package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.storage.DatabaseUrl;
import io.firebreak.storage.integrity.RecordReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * {@code firebreak verify}: checks a record against published checkpoints, offline, trusting neither the database
 * nor the bot. The record comes from an export ({@code --export FILE}) or a database ({@code --database URL}, default
 * {@code DATABASE_URL}); the checkpoints from {@code --checkpoints DIR} (default {@code FIREBREAK_CHECKPOINT_DIR});
 * the public key from {@code --public-key FILE} (default {@code FIREBREAK_PUBLIC_KEY}). Exits 0 when nothing is
 * wrong, 1 on any finding, 2 when it cannot verify at all.
 */
public final class VerifyCommand {
    static final String USAGE =
            "usage: firebreak verify (--export FILE | --database URL) --public-key FILE [--checkpoints DIR]";

    private VerifyCommand() {}

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Optional<String> export = Optional.empty();
        Optional<String> database = Optional.ofNullable(env.get("DATABASE_URL")).filter(v -> !v.isBlank());
        Optional<String> publicKey =
                Optional.ofNullable(env.get("FIREBREAK_PUBLIC_KEY")).filter(v -> !v.isBlank());
        Optional<String> checkpoints =
                Optional.ofNullable(env.get("FIREBREAK_CHECKPOINT_DIR")).filter(v -> !v.isBlank());
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--export" -> export = Optional.ofNullable(value);
                case "--database" -> database = Optional.ofNullable(value);
                case "--public-key" -> publicKey = Optional.ofNullable(value);
                case "--checkpoints" -> checkpoints = Optional.ofNullable(value);
                default -> {
                    err.println("unknown option " + args[i]);
                    err.println(USAGE);
                    return 2;
                }
            }
            if (value == null) {
                err.println(args[i] + " needs a value");
                return 2;
            }
            i++;
        }
        ObjectMapper mapper = new ObjectMapper();
        try {
            Optional<VerifyingKey> key = publicKey.isEmpty()
                    ? Optional.empty()
                    : Optional.of(VerifyingKey.parse(read(Path.of(publicKey.get()))));
            List<Checkpoint> published = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            checkpoints.ifPresent(dir -> CheckpointFiles.readAll(Path.of(dir)).forEach(d -> {
                try {
                    published.add(Checkpoint.parse(d, mapper));
                } catch (IllegalArgumentException e) {
                    unreadable.add(e.getMessage());
                }
            }));
            RecordVerifier.Input input;
            if (export.isPresent()) {
                if (key.isEmpty()) {
                    err.println(
                            "warning: no --public-key; trusting the key inside the export, which proves only that the export is consistent with itself");
                }
                JsonNode json = mapper.readTree(read(Path.of(export.get())));
                RecordVerifier.Input fromExport = new IncidentExport(mapper).read(json, key);
                List<Checkpoint> all = new ArrayList<>(fromExport.checkpoints());
                all.addAll(published);
                input = new RecordVerifier.Input(
                        fromExport.events(),
                        fromExport.incidents(),
                        fromExport.runs(),
                        all,
                        fromExport.inclusions(),
                        fromExport.key(),
                        fromExport.scope());
            } else if (database.isPresent()) {
                if (key.isEmpty()) {
                    err.println("--public-key is needed to check a database against checkpoints");
                    err.println(USAGE);
                    return 2;
                }
                input = fromDatabase(DatabaseUrl.parse(database.get()), published, key, mapper);
            } else {
                err.println(USAGE);
                return 2;
            }
            RecordVerifier.Report report = new RecordVerifier(mapper).verify(input);
            unreadable.forEach(u -> out.println("CHECKPOINT_REFUSED: a checkpoint file is unreadable: " + u));
            report.findings().forEach(f -> out.println(f.line()));
            boolean ok = report.ok() && unreadable.isEmpty();
            out.println((ok ? "OK: " : "FAILED: ") + report.incidents() + " incidents, " + report.events()
                    + " events checked against "
                    + report.checkpoints() + " signed checkpoints"
                    + report.latest().map(n -> " (newest #" + n + ")").orElse("")
                    + (ok ? "" : "; " + (report.findings().size() + unreadable.size()) + " findings"));
            if (report.checkpoints() == 0) {
                out.println(
                        "note: no checkpoint was trusted, so only the hash chains were checked; a rewrite that recomputed them would pass");
            }
            return ok ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("cannot verify: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("cannot verify: " + e.getClass().getSimpleName());
            return 2;
        }
    }

    private static RecordVerifier.Input fromDatabase(
            DatabaseUrl url, List<Checkpoint> published, Optional<VerifyingKey> key, ObjectMapper mapper) {
        java.util.Properties credentials = new java.util.Properties();
        url.user().ifPresent(u -> credentials.setProperty("user", u));
        url.password().ifPresent(p -> credentials.setProperty("password", p));
        Jdbi jdbi = Jdbi.create(url.jdbcUrl(), credentials);
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            RecordReader reader = new RecordReader(h, mapper);
            List<Checkpoint> checkpoints = new ArrayList<>(published);
            // The database's own copies are believed only when signed; a file and a row that differ are reported.
            h.createQuery("select document from record_checkpoint order by number")
                    .mapTo(String.class)
                    .forEach(d -> {
                        Checkpoint c = Checkpoint.parse(d, mapper);
                        if (published.stream()
                                .noneMatch(p -> p.number() == c.number()
                                        && p.signature().equals(c.signature()))) {
                            checkpoints.add(c);
                        }
                    });
            return new RecordVerifier.Input(
                    reader.events(Optional.empty()),
                    reader.incidents(Optional.empty()).stream()
                            .map(i -> new RecordVerifier.IncidentRow(i.id(), i.severity(), i.phase(), i.commander()))
                            .toList(),
                    reader.runs(Optional.empty()).stream()
                            .map(r -> new RecordVerifier.RunRow(r.id(), r.incidentId(), r.state()))
                            .toList(),
                    checkpoints,
                    List.of(),
                    key,
                    Optional.empty());
        });
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
