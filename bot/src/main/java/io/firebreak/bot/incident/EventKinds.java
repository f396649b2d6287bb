package io.firebreak.bot.incident;

/** The {@code kind} names of timeline events. They are stored and hashed, so never rename one. */
public final class EventKinds {
    public static final String OPENED = "opened";
    /** A chat message put on the timeline (by a pin reaction or the message shortcut). */
    public static final String MESSAGE_CAPTURED = "message_captured";
    /** A captured message taken back (its pin was removed); the capture event itself stays. */
    public static final String MESSAGE_RETRACTED = "message_retracted";
    /** A retracted message put back on the timeline (pinned again). */
    public static final String MESSAGE_RESTORED = "message_restored";

    private EventKinds() {
    }
}
