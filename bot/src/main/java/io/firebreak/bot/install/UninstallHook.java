package io.firebreak.bot.install;

import io.firebreak.bot.access.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told when Firebreak is uninstalled from a workspace, after its tokens were removed. Its incidents are kept; whoever
 * implements this marks them (issue 19's workspace scoping).
 */
@FunctionalInterface
public interface UninstallHook {

    void onUninstalled(Workspace workspace);

    /** Until something marks the incidents: a log line saying they are kept. */
    static UninstallHook logging() {
        Logger log = LoggerFactory.getLogger(UninstallHook.class);
        return workspace -> log.info(
                "Firebreak was uninstalled from workspace {}: its tokens are removed, its incidents are kept",
                workspace.teamId());
    }
}
