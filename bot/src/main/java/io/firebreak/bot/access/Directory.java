package io.firebreak.bot.access;

import io.firebreak.storage.incident.Incident;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Resolves who someone is for one request: the configured roles (responder, approver, security group) and, when
 * the request names an incident, whether they reported it or command it.
 */
public final class Directory {
    private final BiPredicate<String, Workspace> responders;
    private final Predicate<String> approvers;
    private final BiPredicate<String, Workspace> security;

    /**
     * @param responders true for users in {@code FIREBREAK_RESPONDERS} (false for everyone when it is empty)
     * @param approvers  true for users who may approve
     * @param security   true for users in {@code FIREBREAK_PRIVATE_RESPONDERS}
     */
    public Directory(Predicate<String> responders, Predicate<String> approvers, Predicate<String> security) {
        this((user, workspace) -> responders.test(user), approvers, (user, workspace) -> security.test(user));
    }

    /**
     * As {@link #Directory(Predicate, Predicate, Predicate)}, with responders and the security group asked as the
     * request's workspace (their user groups are that workspace's).
     */
    public Directory(
            BiPredicate<String, Workspace> responders,
            Predicate<String> approvers,
            BiPredicate<String, Workspace> security) {
        this.responders = responders;
        this.approvers = approvers;
        this.security = security;
    }

    /** The actor {@code userId} of workspace {@code teamId}, with their roles on {@code incident} when given. */
    public Actor actor(String userId, Optional<String> teamId, Optional<Incident> incident) {
        EnumSet<Role> roles = EnumSet.of(Role.MEMBER);
        Workspace workspace = Workspace.of(teamId.orElse(Tenancy.LEGACY));
        if (responders.test(userId, workspace)) {
            roles.add(Role.RESPONDER);
        }
        if (approvers.test(userId)) {
            roles.add(Role.APPROVER);
        }
        if (security.test(userId, workspace)) {
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
        return responders.test(userId, Workspace.of(Tenancy.LEGACY));
    }

    /** As {@link #isResponder(String)}, for a decision about {@code incident}: asked as its workspace. */
    public boolean isResponder(String userId, Incident incident) {
        return responders.test(userId, new Workspace(incident.teamId(), incident.enterpriseId()));
    }
}
