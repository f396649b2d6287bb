package io.firebreak.bot;

import io.firebreak.bot.access.AccessPolicy;
import io.firebreak.bot.access.Directory;
import io.firebreak.bot.containment.Approvers;
import io.firebreak.bot.incident.Responders;
import io.firebreak.bot.platform.config.Config;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the authorization policy from the configuration, and says at start-up who may fire containment. */
final class AccessWiring {
    private static final Logger log = LoggerFactory.getLogger(AccessWiring.class);

    private AccessWiring() {}

    static AccessPolicy policy(Config config, Approvers approvers) {
        return new AccessPolicy(config.access().workspaces(), config.responders(), approvers.ids());
    }

    static Directory directory(Responders responders, Approvers approvers, Responders security) {
        return new Directory(
                (user, workspace) -> responders.isResponder(user, workspace),
                approvers::mayApprove,
                (user, workspace) -> security.isResponder(user, workspace));
    }

    /** One line, always: who may fire containment, and from which workspace. */
    static void logWhoMayFire(Config config, Approvers approvers) {
        log.info(whoMayFire(config, approvers.ids()));
    }

    static String whoMayFire(Config config, List<String> approvers) {
        List<String> responders = config.responders();
        String who = responders.isEmpty()
                ? "nobody may fire containment: FIREBREAK_RESPONDERS is not set (unset means no responders)"
                : "containment may be fired by " + String.join(", ", responders)
                        + (config.access().respondersGenerated()
                                ? " (the local client's user: FIREBREAK_RESPONDERS is not set and the signing secret is generated)"
                                : " (FIREBREAK_RESPONDERS)");
        String approving =
                approvers.isEmpty() ? "; nobody is named to approve" : "; approvals by " + String.join(", ", approvers);
        String where = config.access().workspaces().isEmpty()
                ? "; requests from any workspace are accepted (FIREBREAK_TEAM_ID is not set)"
                : "; only from workspace "
                        + String.join(
                                ", ",
                                config.access().workspaces().stream().sorted().toList());
        return who + approving + where;
    }
}
