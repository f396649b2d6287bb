package io.firebreak.bot.containment;

import java.util.List;
import java.util.Set;

/**
 * Who may approve a containment action fired below its pre-approved severity. The requester never may, whatever
 * this says: {@link ContainmentService} checks that first.
 */
public interface Approvers {

    boolean mayApprove(String userId);

    /** The Slack IDs to notify of an approval request; empty when anyone may approve. */
    List<String> ids();

    /**
     * The Slack users listed in {@code FIREBREAK_APPROVERS}, or, when none are listed, the responders
     * ({@code FIREBREAK_RESPONDERS}, whose user IDs are notified).
     */
    static Approvers of(
            Set<String> userIds, io.firebreak.bot.incident.Responders responders, List<String> responderIds) {
        if (!userIds.isEmpty()) {
            return of(userIds);
        }
        List<String> users =
                responderIds.stream().filter(id -> !id.startsWith("S")).sorted().toList();
        return new Approvers() {
            @Override
            public boolean mayApprove(String userId) {
                return responders.isResponder(userId);
            }

            @Override
            public List<String> ids() {
                return users;
            }
        };
    }

    /** The Slack users listed in {@code FIREBREAK_APPROVERS}; an empty list means anyone. */
    static Approvers of(Set<String> userIds) {
        List<String> sorted = userIds.stream().sorted().toList();
        return new Approvers() {
            @Override
            public boolean mayApprove(String userId) {
                return userIds.isEmpty() || userIds.contains(userId);
            }

            @Override
            public List<String> ids() {
                return sorted;
            }
        };
    }
}
