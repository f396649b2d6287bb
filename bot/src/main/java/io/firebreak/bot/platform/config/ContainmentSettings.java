package io.firebreak.bot.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How containment actions are configured.
 *
 * @param actionsFile the action catalog ({@code FIREBREAK_ACTIONS}); empty means
 *                    {@code manifests/containment-actions.yml}, or the copy inside the jar when that file is missing
 * @param approvers   Slack user IDs who may approve actions below their pre-approved severity
 *                    ({@code FIREBREAK_APPROVERS}); empty means the default, anyone but the requester
 * @param approvalTtl how long an approval request can be approved ({@code FIREBREAK_APPROVAL_TTL})
 * @param environment the variables the catalog may reference as {@code ${NAME}}; never printed
 */
public record ContainmentSettings(
        Optional<Path> actionsFile, Set<String> approvers, Duration approvalTtl, Map<String, String> environment) {
    public static final Path DEFAULT_ACTIONS_FILE = Path.of("manifests", "containment-actions.yml");
    public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(30);

    public ContainmentSettings {
        approvers = Set.copyOf(approvers);
        environment = Map.copyOf(environment);
    }

    /** Without the environment's values, which may hold credentials. */
    @Override
    public String toString() {
        return "ContainmentSettings[actionsFile=" + actionsFile + ", approvers=" + approvers + ", approvalTtl="
                + approvalTtl + ", environment=(" + environment.size() + " variables)]";
    }
}
