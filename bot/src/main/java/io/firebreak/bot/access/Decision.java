package io.firebreak.bot.access;

import java.util.List;
import java.util.Optional;

/**
 * The policy's answer: allowed, or refused with a reason in plain words that says who may do it and how to get
 * there. Slack classes render {@code contacts} as mentions.
 *
 * @param action   what was asked
 * @param allowed  true when it may go ahead
 * @param reason   empty when allowed; otherwise one or two sentences without Slack markup
 * @param contacts Slack user and user-group IDs who may do it (responders, approvers), to ask; may be empty
 */
public record Decision(Action action, boolean allowed, Optional<String> reason, List<String> contacts) {
    public Decision {
        contacts = List.copyOf(contacts);
    }

    public static Decision allow(Action action) {
        return new Decision(action, true, Optional.empty(), List.of());
    }

    public static Decision refuse(Action action, String reason, List<String> contacts) {
        return new Decision(action, false, Optional.of(reason), contacts);
    }

    public boolean refused() {
        return !allowed;
    }
}
