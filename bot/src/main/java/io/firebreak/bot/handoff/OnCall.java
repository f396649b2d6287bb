package io.firebreak.bot.handoff;

import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.Outcome;
import io.firebreak.storage.handoff.Handoff;
import io.firebreak.storage.incident.Incident;
import java.util.Optional;

/** What an open incident is waiting on, in words, for {@code /incident oncall} and the handoff pack. */
public final class OnCall {

    private OnCall() {}

    public static String waitingOn(Incident incident, Optional<Handoff> pendingHandoff) {
        if (pendingHandoff.isPresent()) {
            return Outcome.person(pendingHandoff.get().toUser()) + " to accept the handoff";
        }
        if (incident.commander().equals(IncidentService.UNASSIGNED)) {
            return "a commander (`lead`)";
        }
        if (incident.severity().isEmpty()) {
            return "an impact assessment";
        }
        return switch (incident.phase()) {
            case DETECTED -> "containment";
            case CONTAINED -> "investigation";
            case INVESTIGATING -> "a failure point and a correction";
            case CORRECTING -> "a verified rollout of the correction";
            case RESOLVED -> "the postmortem, then close";
            case CLOSED -> "nothing";
        };
    }
}
