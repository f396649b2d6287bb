package io.firebreak.bot.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that decides who may do what. Pure: it holds the configured lists and answers from the
 * {@link Actor} (already resolved), the {@link Action} and the {@link Subject} incident, when there is one.
 * It fails closed: a role nobody is configured for is held by nobody.
 */
public final class AccessPolicy {
    private final Set<String> workspaces;
    private final List<String> responders;
    private final List<String> approvers;

    /**
     * @param workspaces the installation's workspace and any allowed others ({@code FIREBREAK_TEAM_ID}); empty means
     *                   a request's own workspace is not checked (only the local quick start and tests leave it out)
     * @param responders the IDs in {@code FIREBREAK_RESPONDERS}, named in refusals as people to ask
     * @param approvers  who approves (IDs from {@code FIREBREAK_APPROVERS}, or the responders), named in refusals
     */
    public AccessPolicy(Set<String> workspaces, List<String> responders, List<String> approvers) {
        this.workspaces = Set.copyOf(workspaces);
        this.responders = List.copyOf(responders);
        this.approvers = List.copyOf(approvers);
    }

    /** Decides {@code action} by {@code actor}, on {@code subject} when the request names an incident. */
    public Decision decide(Actor actor, Action action, Optional<Subject> subject) {
        if (!workspaces.isEmpty() && !actor.teamId().map(workspaces::contains).orElse(false)) {
            return Decision.refuse(
                    action,
                    "Firebreak takes requests only from people in its own workspace, so you can't "
                            + action.description()
                            + " from another workspace (a Slack Connect channel). Ask someone from the workspace"
                            + " that runs Firebreak.",
                    List.of());
        }
        if (subject.isPresent() && !maySee(actor, subject.get())) {
            return Decision.refuse(
                    action,
                    "There is no " + subject.get().key() + " you can see. Private incidents are open only"
                            + " to the members of their channel, their commander and the security group (FIREBREAK_PRIVATE_RESPONDERS).",
                    List.of());
        }
        Set<Role> allowed = action.allowedRoles();
        if (allowed.stream().anyMatch(actor::holds)) {
            return Decision.allow(action);
        }
        return Decision.refuse(
                action,
                "Only " + holders(allowed) + " can " + action.description() + ". " + howToGetThere(allowed),
                contacts(allowed));
    }

    /**
     * Decides a read-API request by {@code token}: reads only, each needing its scope ({@code evidence:read} for run
     * evidence, {@code incidents:read} for the rest), and a private incident needing {@code private:read}.
     */
    public Decision decide(ApiToken token, Action action, Optional<Subject> subject) {
        if (!action.isRead()) {
            return Decision.refuse(action, "The read API only reads.", List.of());
        }
        ApiScope needed = action == Action.READ_EVIDENCE ? ApiScope.EVIDENCE_READ : ApiScope.INCIDENTS_READ;
        if (!token.has(needed)) {
            return Decision.refuse(
                    action,
                    "This token may not " + action.description() + ": it needs the " + needed.id()
                            + " scope in FIREBREAK_API_TOKENS.",
                    List.of());
        }
        if (subject.isPresent() && !maySee(token, subject.get())) {
            return Decision.refuse(action, "There is no " + subject.get().key() + " this token can see.", List.of());
        }
        return Decision.allow(action);
    }

    /**
     * True when {@code actor} may see {@code subject} at all: any public incident; a private one only as a member of its
     * channel, its commander or one of the security group. Every list and screen filters through this rule.
     */
    public boolean maySee(Actor actor, Subject subject) {
        return !subject.privateIncident()
                || subject.channelMember()
                || actor.holds(Role.COMMANDER)
                || actor.holds(Role.SECURITY);
    }

    /** True when a read-API request with {@code token} may see {@code subject}: a private one needs {@code private:read}. */
    public boolean maySee(ApiToken token, Subject subject) {
        return !subject.privateIncident() || token.has(ApiScope.PRIVATE_READ);
    }

    /** The responders as configured: who may fire containment, for the start-up line. */
    public List<String> responders() {
        return responders;
    }

    private static String holders(Set<Role> allowed) {
        List<String> names =
                allowed.stream().sorted().map(Role::holders).collect(Collectors.toCollection(ArrayList::new));
        if (allowed.contains(Role.REPORTER)) {
            names.set(names.indexOf(Role.REPORTER.holders()), "the reporter (the first assessment only)");
        }
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private String howToGetThere(Set<Role> allowed) {
        if (allowed.contains(Role.APPROVER) && !allowed.contains(Role.RESPONDER)) {
            return approvers.isEmpty()
                    ? "No approvers are configured: whoever runs Firebreak sets FIREBREAK_APPROVERS (or FIREBREAK_RESPONDERS)."
                    : "Ask an approver, or ask whoever runs Firebreak to add you to FIREBREAK_APPROVERS.";
        }
        return responders.isEmpty()
                ? "No responders are configured: whoever runs Firebreak sets FIREBREAK_RESPONDERS."
                : "Ask a responder to do it, or ask whoever runs Firebreak to add you to FIREBREAK_RESPONDERS.";
    }

    private List<String> contacts(Set<Role> allowed) {
        return allowed.contains(Role.APPROVER) && !allowed.contains(Role.RESPONDER) ? approvers : responders;
    }
}
