package io.firebreak.bot.access;

import java.util.Arrays;
import java.util.Optional;

/** What a read-API token may read. A dashboard token gets {@code incidents:read} and never sees private incidents. */
public enum ApiScope {
    /** Incidents, their timelines and postmortems. */
    INCIDENTS_READ("incidents:read"),
    /** Frozen run evidence and regression cases built from it. */
    EVIDENCE_READ("evidence:read"),
    /** Private incidents too. */
    PRIVATE_READ("private:read");

    private final String id;

    ApiScope(String id) {
        this.id = id;
    }

    /** As written in {@code FIREBREAK_API_TOKENS}, e.g. {@code incidents:read}. */
    public String id() {
        return id;
    }

    public static Optional<ApiScope> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.id.equals(text.strip())).findFirst();
    }
}
