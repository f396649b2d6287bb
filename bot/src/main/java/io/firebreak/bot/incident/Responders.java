package io.firebreak.bot.incident;

import io.firebreak.bot.access.Workspace;
import io.firebreak.storage.incident.Incident;

/** Who may change severity, phase and commander. Anyone may open, report and add notes. */
public interface Responders {

    /**
     * True when {@code userId} is a responder, asked where no workspace is known: user groups are read with the
     * single workspace's token (single-token mode) and, with several workspaces, not at all (logged once).
     */
    boolean isResponder(String userId);

    /** True when {@code userId} of {@code workspace} (a Slack request's) is a responder: groups read as that workspace. */
    default boolean isResponder(String userId, Workspace workspace) {
        return isResponder(userId);
    }

    /** True when {@code userId} is a responder for {@code incident}: groups read as the incident's workspace. */
    default boolean isResponder(String userId, Incident incident) {
        return isResponder(userId);
    }

    /** Everyone is a responder: for tests and benchmarks that call services directly; never configured. */
    static Responders everyone() {
        return userId -> true;
    }
}
