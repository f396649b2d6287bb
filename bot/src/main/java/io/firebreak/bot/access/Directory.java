package io.firebreak.bot.access;

import io.firebreak.storage.incident.Incident;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resolves who someone is for one request: the configured roles (responder, approver, security group) and, when
 * the request names an incident, whether they reported it or command it.
 */
public final class Directory {
    private final Predicate<String> responders;
    private final Predicate<String> approvers;
    private final Predicate<String> security;

    /**
     * @param responders true for users in {@code FIREBREAK_RESPONDERS} (false for everyone when it is empty)
     * @param approvers  true for users who may approve
     * @param security   true for users in {@code FIREBREAK_PRIVATE_RESPONDERS}
     */
    public Directory(Predicate<String> responders, Predicate<String> approvers, Predicate<String> security) {
        this.responders = responders;
        this.approvers = approvers;
        this.security = security;
    }

    /** The actor {@code userId} of workspace {@code teamId}, with their roles on {@code incident} when given. */
    public Actor actor(String userId, Optional<String> teamId, Optional<Incident> incident) {
        EnumSet<Role> roles = EnumSet.of(Role.MEMBER);
        if (responders.test(userId)) {
            roles.add(Role.RESPONDER);
        }
        if (approvers.test(userId)) {
            roles.add(Role.APPROVER);
        }
        if (security.test(userId)) {
            roles.add(Role.SECURITY);
        }
        incident.ifPresent(i -> {
            if (i.commander().equals(userId)) {
                roles.add(Role.COMMANDER);
            }
            if (i.reporter().equals(userId)) {
                roles.add(Role.REPORTER);
            }
        });
        return new Actor(userId, teamId, roles);
    }

    /** True when {@code userId} is a responder: for decisions that depend on who did something earlier. */
    public boolean isResponder(String userId) {
        return responders.test(userId);
    }
}
