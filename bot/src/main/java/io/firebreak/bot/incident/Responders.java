package io.firebreak.bot.incident;

/** Who may change severity, phase and commander. Anyone may open, report and add notes. */
public interface Responders {

    /** True when {@code userId} is a responder. */
    boolean isResponder(String userId);

    /** Everyone is a responder: for tests and benchmarks that call services directly; never configured. */
    static Responders everyone() {
        return userId -> true;
    }
}
