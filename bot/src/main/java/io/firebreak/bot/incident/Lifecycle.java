package io.firebreak.bot.incident;

import static io.firebreak.storage.incident.Phase.CLOSED;
import static io.firebreak.storage.incident.Phase.CONTAINED;
import static io.firebreak.storage.incident.Phase.CORRECTING;
import static io.firebreak.storage.incident.Phase.DETECTED;
import static io.firebreak.storage.incident.Phase.INVESTIGATING;
import static io.firebreak.storage.incident.Phase.RESOLVED;

import io.firebreak.storage.incident.Phase;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which phase may follow which. The playbook runs DETECTED → CONTAINED → INVESTIGATING → CORRECTING →
 * RESOLVED → CLOSED; a step may be skipped forward (nothing to contain; a false alarm resolved at once), and
 * an incident may go back to investigating when a correction fails or the problem recurs. Reopening a
 * closed incident is its own move, with a reason.
 */
public final class Lifecycle {
    private static final Map<Phase, Set<Phase>> NEXT = Map.of(
            DETECTED, EnumSet.of(CONTAINED, INVESTIGATING, CORRECTING, RESOLVED),
            CONTAINED, EnumSet.of(INVESTIGATING, CORRECTING, RESOLVED),
            INVESTIGATING, EnumSet.of(CONTAINED, CORRECTING, RESOLVED),
            CORRECTING, EnumSet.of(INVESTIGATING, RESOLVED),
            RESOLVED, EnumSet.of(INVESTIGATING, CLOSED),
            CLOSED, EnumSet.of(INVESTIGATING));

    private Lifecycle() {}

    /** True when an incident in {@code from} may move to {@code to}. */
    public static boolean allowed(Phase from, Phase to) {
        return NEXT.get(from).contains(to);
    }

    /** The phases an incident in {@code from} may move to, in playbook order. */
    public static List<Phase> next(Phase from) {
        return List.copyOf(EnumSet.copyOf(NEXT.get(from)));
    }

    /** Why {@code from → to} is refused, in words. */
    public static String refusal(Phase from, Phase to) {
        if (from == to) {
            return "it is already " + to.label();
        }
        if (from == CLOSED) {
            return "it is closed; reopen it (move it to investigating) with a reason first";
        }
        if (to == DETECTED) {
            return "an incident cannot go back to detected";
        }
        if (to == CLOSED) {
            return "only a resolved incident can be closed";
        }
        return "it cannot go from " + from.label() + " back to " + to.label();
    }
}
