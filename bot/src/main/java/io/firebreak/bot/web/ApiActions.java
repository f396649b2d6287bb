package io.firebreak.bot.web;

import io.firebreak.bot.access.Action;
import java.util.regex.Pattern;

/** Which read a read-API path is, for the {@link io.firebreak.bot.access.AccessPolicy}. */
public final class ApiActions {
    /** Run evidence and what is built from it: the runs, their raw snapshots, regression cases. */
    private static final Pattern EVIDENCE =
            Pattern.compile("(/incidents/[^/]+/runs(/.*)?|(/incidents/[^/]+)?/regression-cases\\.jsonl)/?");

    private ApiActions() {}

    public static Action of(String path) {
        if (path.equals("/incidents") || path.equals("/incidents/")) {
            return Action.READ_LIST;
        }
        if (EVIDENCE.matcher(path).matches()) {
            return Action.READ_EVIDENCE;
        }
        return Action.READ_INCIDENT;
    }
}
