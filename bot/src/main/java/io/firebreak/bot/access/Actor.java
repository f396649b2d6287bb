package io.firebreak.bot.access;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who asks, with the roles they hold for the request at hand (the incident-relative ones, {@link Role#REPORTER}
 * and {@link Role#COMMANDER}, only when the request names an incident). Holds {@link Role#MEMBER} always.
 *
 * @param userId the Slack user ID
 * @param teamId the user's own workspace, when the request says; empty for requests that carry none
 * @param roles  the roles resolved for this request
 */
public record Actor(String userId, Optional<String> teamId, Set<Role> roles) {
    public Actor {
        EnumSet<Role> all = EnumSet.of(Role.MEMBER);
        all.addAll(roles);
        roles = Set.copyOf(all);
    }

    public boolean holds(Role role) {
        return roles.contains(role);
    }
}
