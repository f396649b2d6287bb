package io.firebreak.bot.install;

import io.firebreak.bot.access.Workspace;

/**
 * Told when Firebreak is uninstalled from a workspace, after its tokens were removed: its incidents are kept and
 * marked (the incident feature's {@code WorkspaceRemoval}).
 */
@FunctionalInterface
public interface UninstallHook {

    void onUninstalled(Workspace workspace);
}
