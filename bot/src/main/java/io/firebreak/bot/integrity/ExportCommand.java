package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.storage.DatabaseUrl;
import io.firebreak.storage.incident.IncidentKey;
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
import java.util.Properties;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * {@code firebreak export INC-12}: the same export as {@code GET /api/incidents/{key}/export}, read straight from a
 * database ({@code --database URL}, default {@code DATABASE_URL}; a role that may only select is enough), with the
 * public key from {@code --public-key FILE} (default {@code FIREBREAK_PUBLIC_KEY}), written to standard output.
 */
public final class ExportCommand {
    static final String USAGE = "usage: firebreak export INC-<n> [--database URL] [--public-key FILE]";

    private ExportCommand() {}

    /** Runs the command; returns the exit code: 0 written, 1 no such incident, 2 usage or database problem. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Optional<IncidentKey> key = args.length > 0 ? IncidentKey.parse(args[0]) : Optional.empty();
        Optional<String> database = Optional.ofNullable(env.get("DATABASE_URL")).filter(v -> !v.isBlank());
        Optional<String> publicKey =
                Optional.ofNullable(env.get("FIREBREAK_PUBLIC_KEY")).filter(v -> !v.isBlank());
        for (int i = 1; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null || !(args[i].equals("--database") || args[i].equals("--public-key"))) {
                err.println(USAGE);
                return 2;
            }
            if (args[i].equals("--database")) {
                database = Optional.of(value);
            } else {
                publicKey = Optional.of(value);
            }
        }
        if (key.isEmpty() || database.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        ObjectMapper mapper = new ObjectMapper();
        try {
            Optional<VerifyingKey> verifying = publicKey.isEmpty()
                    ? Optional.empty()
                    : Optional.of(
                            VerifyingKey.parse(Files.readString(Path.of(publicKey.get()), StandardCharsets.UTF_8)));
            DatabaseUrl url = DatabaseUrl.parse(database.get());
            Properties credentials = new Properties();
            url.user().ifPresent(u -> credentials.setProperty("user", u));
            url.password().ifPresent(p -> credentials.setProperty("password", p));
            IncidentKey incident = key.get();
            var export = Jdbi.create(url.jdbcUrl(), credentials)
                    .inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
                        List<Checkpoint> checkpoints = new ArrayList<>();
                        h.createQuery("select document from record_checkpoint order by number")
                                .mapTo(String.class)
                                .forEach(d -> checkpoints.add(Checkpoint.parse(d, mapper)));
                        return new IncidentExport(mapper)
                                .build(new RecordReader(h, mapper), incident, checkpoints, verifying);
                    });
            if (export.isEmpty()) {
                err.println("no incident " + incident);
                return 1;
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(export.get()));
            return 0;
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("cannot export: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("cannot export: " + e.getClass().getSimpleName());
            return 2;
        }
    }
}
