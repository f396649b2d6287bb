package io.firebreak.bot.install;

import io.firebreak.storage.Storage;
import io.firebreak.storage.install.InstallationDao;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The {@code state} of installs in progress, in the database so any replica can finish an install another began: each
 * is issued with an install link, lasts {@link #LIFETIME}, and is taken once, atomically, by Slack's redirect back.
 */
public final class InstallStates {
    /** How long an install link works. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Storage storage;
    private final Clock clock;

    public InstallStates(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    public void issue(String state) {
        storage.inTransaction(tx -> {
            tx.attach(InstallationDao.class)
                    .issueState(hash(state), clock.instant().plus(LIFETIME), clock.instant());
            return null;
        });
    }

    /** True for the first use of a state issued less than {@link #LIFETIME} ago; false for any other, and for a replay. */
    public boolean take(String state) {
        return storage.inTransaction(tx -> tx.attach(InstallationDao.class).takeState(hash(state), clock.instant()));
    }

    private static String hash(String state) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
