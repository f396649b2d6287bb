package io.firebreak.bot.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for what the bot does after its answer (jobs, Slack posts), failing the test after 20 seconds. */
public final class Await {
    private Await() {}

    /** Returns once {@code done} is true; fails with "timed out waiting for {@code what}" otherwise. */
    public static void until(String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
