package io.firebreak.bot.access;

import java.util.Objects;
import java.util.Optional;

/**
 * The Slack workspace a record, a request or a token belongs to. Every incident, report, job and read is scoped by
 * one: a person in one workspace never sees or changes another's incidents.
 *
 * @param teamId       Slack's {@code team_id} ({@code T…}); for an Enterprise Grid org-wide install, the org's
 *                     workspace the request came from
 * @param enterpriseId Slack's {@code enterprise_id} ({@code E…}) on Enterprise Grid, empty otherwise
 */
public record Workspace(String teamId, Optional<String> enterpriseId) {

    public Workspace {
        Objects.requireNonNull(teamId, "teamId");
        enterpriseId = enterpriseId.filter(id -> !id.isBlank());
    }

    /** A workspace outside Enterprise Grid. */
    public static Workspace of(String teamId) {
        return new Workspace(teamId, Optional.empty());
    }
}
