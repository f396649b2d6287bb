package io.firebreak.bot.incident;

import static io.firebreak.storage.incident.Phase.CLOSED;
import static io.firebreak.storage.incident.Phase.CONTAINED;
import static io.firebreak.storage.incident.Phase.CORRECTING;
import static io.firebreak.storage.incident.Phase.DETECTED;
import static io.firebreak.storage.incident.Phase.INVESTIGATING;
import static io.firebreak.storage.incident.Phase.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.storage.incident.Phase;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void thePlaybookOrderIsAlwaysAllowed() {
        assertThat(Lifecycle.allowed(DETECTED, CONTAINED)).isTrue();
        assertThat(Lifecycle.allowed(CONTAINED, INVESTIGATING)).isTrue();
        assertThat(Lifecycle.allowed(INVESTIGATING, CORRECTING)).isTrue();
        assertThat(Lifecycle.allowed(CORRECTING, RESOLVED)).isTrue();
        assertThat(Lifecycle.allowed(RESOLVED, CLOSED)).isTrue();
    }

    @Test
    void nothingReturnsToDetectedAndOnlyResolvedCloses() {
        for (Phase from : Phase.values()) {
            assertThat(Lifecycle.allowed(from, DETECTED)).isFalse();
            assertThat(Lifecycle.allowed(from, from)).isFalse();
            if (from != RESOLVED) {
                assertThat(Lifecycle.allowed(from, CLOSED))
                        .as(from + " to closed")
                        .isFalse();
            }
        }
    }

    @Test
    void refusalsSayWhyAndNextListsTheLegalMoves() {
        assertThat(Lifecycle.refusal(CORRECTING, CONTAINED))
                .isEqualTo("it cannot go from correcting back to contained");
        assertThat(Lifecycle.refusal(DETECTED, CLOSED)).isEqualTo("only a resolved incident can be closed");
        assertThat(Lifecycle.refusal(RESOLVED, RESOLVED)).isEqualTo("it is already resolved");
        assertThat(Lifecycle.next(DETECTED)).containsExactly(CONTAINED, INVESTIGATING, CORRECTING, RESOLVED);
        assertThat(Lifecycle.next(CLOSED)).containsExactly(INVESTIGATING);
    }
}
