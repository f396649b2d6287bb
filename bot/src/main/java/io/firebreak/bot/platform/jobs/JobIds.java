package io.firebreak.bot.platform.jobs;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Job instance ids made of parts joined with colons. Each kind of job has a record that writes its id with
 * {@link #join} and reads it back with {@link #split}, so the format of an id lives beside its record only.
 */
public final class JobIds {

    private JobIds() {}

    /** The parts joined with colons; no part may contain one. */
    public static String join(Object... parts) {
        return Arrays.stream(parts).map(String::valueOf).collect(Collectors.joining(":"));
    }

    /**
     * The {@code count} parts of {@code instanceId}.
     *
     * @throws IllegalArgumentException when it does not have exactly that many
     */
    public static String[] split(String instanceId, int count) {
        String[] parts = instanceId.split(":", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException("job instance id " + instanceId + " should have " + count + " parts");
        }
        return parts;
    }
}
