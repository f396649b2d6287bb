package io.firebreak.bot.incident;

/** The {@code kind} names of timeline events. They are stored and hashed, so never rename one. */
public final class EventKinds {
    public static final String OPENED = "opened";

    private EventKinds() {
    }
}
