package io.firebreak.bot.handoff;

import io.firebreak.bot.access.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who is on call right now, by schedule, as an on-call system (PagerDuty) says: shown by {@code /incident oncall} next
 * to the open incidents. Implemented by the paging feature; without one, {@link #NONE}.
 */
@FunctionalInterface
public interface OnCallRoster {
    /** No on-call system is configured. */
    OnCallRoster NONE = workspace -> new Roster(false, List.of(), Optional.empty());

    /**
     * Who is on call now, people named as Slack users of {@code workspace} (the asking request's); never throws (an
     * unreachable system is said in {@link Roster#unreachable()}).
     */
    Roster now(Workspace workspace);

    /**
     * @param configured  false when no schedule is watched: nothing to show
     * @param entries     one per schedule or escalation policy and person on call
     * @param unreachable why the on-call could not be read, in words, when it could not
     */
    record Roster(boolean configured, List<Entry> entries, Optional<String> unreachable) {}

    /**
     * @param schedule the schedule's (or escalation policy's) name
     * @param person   a Slack user ID when known, else the person's name
     * @param until    when their shift ends, when it does
     */
    record Entry(String schedule, String person, Optional<Instant> until) {}
}
