package io.firebreak.bot.incident;

import io.firebreak.storage.incident.Incident;
import java.util.Optional;

/**
 * What came of asking to change an incident.
 *
 * @param incident the incident as it now is, when it exists
 * @param detail   for people: what changed, or why nothing did
 */
public record Outcome(Status status, Optional<Incident> incident, String detail) {

    /** How a change request ended. */
    public enum Status {
        /** The change was made and recorded. */
        CHANGED,
        /** The incident already was as asked; nothing was written. */
        UNCHANGED,
        /** The change is not allowed from the current state; nothing was written. */
        REFUSED,
        /** The person may not make this change; nothing was written. */
        FORBIDDEN,
        /** There is no such incident. */
        NOT_FOUND
    }

    public static Outcome changed(Incident incident, String detail) {
        return new Outcome(Status.CHANGED, Optional.of(incident), detail);
    }

    public static Outcome unchanged(Incident incident, String detail) {
        return new Outcome(Status.UNCHANGED, Optional.of(incident), detail);
    }

    public static Outcome refused(Incident incident, String detail) {
        return new Outcome(Status.REFUSED, Optional.of(incident), detail);
    }

    public static Outcome forbidden(Incident incident, String detail) {
        return new Outcome(Status.FORBIDDEN, Optional.of(incident), detail);
    }

    /**
     * Names a person in a {@link #detail()}. Details are read in Slack, so a user ID becomes a mention; this is the
     * one place the services write one.
     */
    public static String person(String userIdOrName) {
        return userIdOrName.matches("[UW][A-Z0-9]{2,}") ? "<@" + userIdOrName + ">" : userIdOrName;
    }

    public boolean changed() {
        return status == Status.CHANGED;
    }
}
