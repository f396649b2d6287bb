package io.firebreak.bot.access;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Teams;
import java.util.List;
import java.util.Optional;

/**
 * Which incidents someone may see: every screen that lists or shows incidents (the list, on-call, App Home, handoff
 * packs, the read API, exports) asks here, and the answer comes from {@link AccessPolicy#maySee}. A public incident is
 * seen by everyone; a private one only by its channel's members, its commander and the security group. Channel
 * membership is asked of Slack only when nothing else already decides, and not at all for public incidents.
 */
public final class Visibility {
    private final AccessPolicy policy;
    private final Directory directory;
    private final ChannelMembership members;
    private final Tenancy tenancy;

    /** In single-token mode: one workspace. */
    public Visibility(AccessPolicy policy, Directory directory, ChannelMembership members) {
        this(policy, directory, members, Tenancy.single(Optional.empty()));
    }

    /** With {@code tenancy}, a read-API token sees only its own workspace's incidents. */
    public Visibility(AccessPolicy policy, Directory directory, ChannelMembership members, Tenancy tenancy) {
        this.tenancy = tenancy;
        this.policy = policy;
        this.directory = directory;
        this.members = members;
    }

    /** What the policy needs to know about {@code incident} when {@code actor} asks about it. */
    public Subject subject(Actor actor, Incident incident) {
        String key = incident.key().toString();
        if (!incident.privateIncident()) {
            return Subject.open(key);
        }
        boolean decidedByRole = actor.holds(Role.COMMANDER) || actor.holds(Role.SECURITY);
        boolean member = !decidedByRole
                && incident.channelId()
                        .map(c -> members.isMember(tenancy.workspaceOf(incident), c, actor.userId()))
                        .orElse(false);
        return new Subject(key, true, member);
    }

    /** True when the Slack user {@code userId} may see {@code incident}. */
    public boolean canSee(String userId, Incident incident) {
        if (!incident.privateIncident()) {
            return true;
        }
        Actor actor = directory.actor(userId, Optional.empty(), Optional.of(incident));
        return policy.maySee(actor, subject(actor, incident));
    }

    /** The incidents of {@code incidents} that {@code userId} may see, in the same order. */
    public List<Incident> visibleTo(String userId, List<Incident> incidents) {
        return incidents.stream().filter(i -> canSee(userId, i)).toList();
    }

    /** Which workspaces' incidents a read-API request with {@code token} reads at all. */
    public Teams readableWith(ApiToken token) {
        return tenancy.readableWith(token.team());
    }

    /**
     * True when a read-API request with {@code token} may see {@code incident}: one of its workspace's, and private
     * only with {@code private:read}. Anything else is answered as an incident that does not exist.
     */
    public boolean canSee(ApiToken token, Incident incident) {
        return readableWith(token).includes(incident.teamId())
                && policy.maySee(token, new Subject(incident.key().toString(), incident.privateIncident(), false));
    }

    /** The incidents of {@code incidents} a read-API request with {@code token} may see, in the same order. */
    public List<Incident> visibleTo(ApiToken token, List<Incident> incidents) {
        return incidents.stream().filter(i -> canSee(token, i)).toList();
    }
}
