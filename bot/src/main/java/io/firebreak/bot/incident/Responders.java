package io.firebreak.bot.incident;

/** Who may change severity, phase and commander. Anyone may open, report and add notes. */
public interface Responders {

    /** True when {@code userId} is a responder. */
    boolean isResponder(String userId);

    /** Everyone is a responder (no {@code FIREBREAK_RESPONDERS} configured). */
    static Responders everyone() {
        return userId -> true;
    }
}
