package io.firebreak.bot.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the replica counts as busy answering requests, and how long a job gives way to it. */
class ForegroundTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Foreground foreground = new Foreground(3, Foreground.HOLD, Duration.ofMillis(50), now::get);

    @Test
    void requestsOneAfterAnotherNeverMakeItBusy() {
        for (int i = 0; i < 100; i++) {
            try (Foreground.Scope a = foreground.enter();
                    Foreground.Scope b = foreground.enter()) {
                assertThat(foreground.busy()).isFalse();
            }
        }
    }

    @Test
    void aCrowdedArrivalMakesItBusyUntilTheHoldHasPassed() {
        try (Foreground.Scope a = foreground.enter();
                Foreground.Scope b = foreground.enter();
                Foreground.Scope c = foreground.enter()) {
            assertThat(foreground.busy()).isTrue();
        }
        now.addAndGet(Foreground.HOLD.toNanos() - 1);
        assertThat(foreground.busy()).as("just inside the hold").isTrue();
        now.addAndGet(1);
        assertThat(foreground.busy()).as("after the hold").isFalse();
    }

    @Test
    void aJobWaitsNoLongerThanTheLongestDeferral() throws InterruptedException {
        // A long hold, so a burst thread that a loaded machine leaves waiting for a core still counts as a burst.
        Foreground real = new Foreground(1, Duration.ofSeconds(5), Duration.ofMillis(100), System::nanoTime);
        Thread requests = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
            while (System.nanoTime() < end) {
                real.enter().close();
                Thread.onSpinWait();
            }
        });
        requests.start();
        while (!real.busy()) {
            Thread.onSpinWait();
        }
        Duration waited = real.yieldTo();
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(100)).isLessThan(Duration.ofSeconds(1));
        assertThat(real.deferred()).isEqualTo(waited);
        requests.join();
    }

    @Test
    void aJobDoesNotWaitWhenNothingIsAnswered() {
        assertThat(foreground.yieldTo()).isZero();
    }
}
