package io.firebreak.bot.incident;

import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.storage.incident.Incident;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a workspace's incidents when Firebreak is uninstalled from it ({@code app_uninstalled},
 * {@code tokens_revoked}): they are kept, and each open one says on its timeline that Firebreak was removed.
 */
public final class WorkspaceRemoval {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceRemoval.class);

    private final IncidentService incidents;
    private final Tenancy tenancy;

    public WorkspaceRemoval(IncidentService incidents, Tenancy tenancy) {
        this.incidents = incidents;
        this.tenancy = tenancy;
    }

    /**
     * Marks the open incidents of {@code workspace} (its own, and the old ones it adopted through
     * FIREBREAK_LEGACY_TEAM_ID). The uninstall hook calls this once the workspace's tokens are removed. Returns how
     * many were marked.
     */
    public int onUninstalled(Workspace workspace) {
        if (workspace.teamId().isBlank()) {
            return 0;
        }
        List<Incident> open = incidents.listOpen(tenancy.visibleTo(workspace)).stream()
                .filter(i -> tenancy.sees(workspace, i))
                .toList();
        int marked = incidents.markWorkspaceRemoved(open, workspace);
        log.info(
                "Firebreak was removed from workspace {}: {} open incidents kept and marked",
                workspace.teamId(),
                marked);
        return marked;
    }
}
