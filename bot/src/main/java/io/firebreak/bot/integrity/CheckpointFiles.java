package io.firebreak.bot.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checkpoint files in a directory, written once each ({@code checkpoint-000012.json}, created new and made
 * read-only), so they outlive whatever happens to the database. Mount the directory from storage the database role
 * cannot reach (another volume, a synced bucket with object lock) for the files to mean something.
 */
public final class CheckpointFiles {
    private final Path dir;

    public CheckpointFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The file checkpoint {@code number} is written to. */
    public Path file(long number) {
        return dir.resolve(String.format("checkpoint-%06d.json", number));
    }

    /**
     * Writes {@code document} as checkpoint {@code number}. Writing the same document again changes nothing; a
     * different one for a number already written is refused, so a published checkpoint is never replaced.
     */
    public Path write(long number, String document) {
        Path file = file(number);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".checkpoint-", ".tmp");
            Files.writeString(tmp, document, StandardCharsets.UTF_8);
            try {
                // A link fails when the name exists, so two replicas never both write the file.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                if (!Files.readString(file, StandardCharsets.UTF_8).equals(document)) {
                    throw new IllegalStateException(
                            file + " already holds another checkpoint #" + number + "; it is left as it is");
                }
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    Files.writeString(file, document, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system.
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint #" + number + " to " + dir, e);
        }
    }

    /** Every checkpoint file's text, by name. */
    public List<String> readAll() {
        return readAll(dir);
    }

    /** Every {@code checkpoint-*.json} in {@code dir}, by name; none when it does not exist. */
    public static List<String> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().matches("checkpoint-\\d+\\.json"))
                    .sorted()
                    .toList()) {
                out.add(Files.readString(p, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoints in " + dir, e);
        }
    }
}
