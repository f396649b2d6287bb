package io.firebreak.bot.platform.config;

import java.time.Duration;
import java.util.Optional;

/**
 * User-report intake at {@code POST /reports}.
 *
 * @param secret         {@code FIREBREAK_INTAKE_SECRET}, the HMAC key forms sign with; empty turns intake off
 * @param ratePerMinute  {@code FIREBREAK_INTAKE_RATE_PER_MINUTE}: reports accepted per form per minute
 * @param triageChannel  {@code FIREBREAK_TRIAGE_CHANNEL}: where incidents opened by reports are posted
 * @param triageWindow   {@code FIREBREAK_TRIAGE_WINDOW}: how recent a report about the same workflow must be to join its incident
 */
public record IntakeSettings(
        Optional<Secret> secret,
        int ratePerMinute,
        Optional<String> triageChannel,
        Duration triageWindow,
        Optional<String> team) {

    /** Report forms of the single workspace. */
    public IntakeSettings(
            Optional<Secret> secret, int ratePerMinute, Optional<String> triageChannel, Duration triageWindow) {
        this(secret, ratePerMinute, triageChannel, triageWindow, Optional.empty());
    }
}
