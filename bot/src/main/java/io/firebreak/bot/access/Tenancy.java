package io.firebreak.bot.access;

import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Teams;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one rule for which workspace a record belongs to and who sees it (issue 19).
 *
 * <ul>
 *   <li>Every new incident stores the real {@code team_id} of the request that made it (a Slack request's workspace;
 *       for web intake, signals and rules the {@code team} configured for the source, form or token).
 *   <li>Single-token mode ({@code SLACK_BOT_TOKEN}, the default): there is one workspace, so every incident is seen,
 *       whatever it stored; everything works exactly as before workspaces were kept.
 *   <li>Several workspaces (OAuth installs): a workspace sees its own incidents only. Incidents from before workspaces
 *       were kept ({@code team_id ''}) belong to nobody unless {@code FIREBREAK_LEGACY_TEAM_ID} names the workspace
 *       that adopts them (the one the single token served).
 *   <li>A request with no workspace at all sees nothing in that mode.
 * </ul>
 */
public final class Tenancy {
    /** The {@code team_id} of incidents stored before workspaces were kept, and of unconfigured web intake. */
    public static final String LEGACY = "";

    private final boolean severalWorkspaces;
    private final Optional<String> legacyTeam;
    private final Optional<String> singleTeam;

    private Tenancy(boolean severalWorkspaces, Optional<String> legacyTeam, Optional<String> singleTeam) {
        this.severalWorkspaces = severalWorkspaces;
        this.legacyTeam = legacyTeam.filter(t -> !t.isBlank());
        this.singleTeam = singleTeam.filter(t -> !t.isBlank());
    }

    /**
     * Single-token mode: one workspace, every incident seen. {@code team} ({@code FIREBREAK_TEAM_ID} when it names one)
     * is stored on incidents that come from outside Slack without a {@code team} of their own.
     */
    public static Tenancy single(Optional<String> team) {
        return new Tenancy(false, Optional.empty(), team);
    }

    /** Several workspaces: each sees its own; {@code legacyTeam} ({@code FIREBREAK_LEGACY_TEAM_ID}) adopts the old rows. */
    public static Tenancy several(Optional<String> legacyTeam) {
        return new Tenancy(true, legacyTeam, Optional.empty());
    }

    /** True with several workspaces (OAuth installs), false in single-token mode. */
    public boolean severalWorkspaces() {
        return severalWorkspaces;
    }

    /** Which incidents a request from {@code workspace} may see at all. */
    public Teams visibleTo(Workspace workspace) {
        if (!severalWorkspaces) {
            return Teams.all();
        }
        if (workspace.teamId().isBlank()) {
            return Teams.only(List.of());
        }
        List<String> teams = new ArrayList<>(List.of(workspace.teamId()));
        if (legacyTeam.filter(workspace.teamId()::equals).isPresent()) {
            teams.add(LEGACY);
        }
        return Teams.only(teams);
    }

    /**
     * Which open incidents a report or an alert of {@code workspace} (its form's or source's) may join, applied in the
     * lookup's SQL: those it sees; with several workspaces and no workspace configured ({@link #LEGACY}), the
     * unconfigured ones among themselves, so a storm from a source without a {@code team} still groups into one
     * incident rather than opening one per alert.
     */
    public Teams joinableBy(Workspace workspace) {
        if (severalWorkspaces && workspace.teamId().isBlank()) {
            return Teams.only(List.of(LEGACY));
        }
        return visibleTo(workspace);
    }

    /** True when a request from {@code workspace} may see (and so change) {@code incident}. */
    public boolean sees(Workspace workspace, Incident incident) {
        return visibleTo(workspace).includes(incident.teamId());
    }

    /**
     * The workspace an incident's Slack calls, jobs and notices use: its own, or for an incident from before workspaces
     * were kept, the one that adopted it (or, in single-token mode, the single one).
     */
    public Workspace workspaceOf(Incident incident) {
        if (!incident.teamId().equals(LEGACY)) {
            return new Workspace(incident.teamId(), incident.enterpriseId());
        }
        return Workspace.of(severalWorkspaces ? legacyTeam.orElse(LEGACY) : singleTeam.orElse(LEGACY));
    }

    /**
     * The workspace of something configured outside Slack (a signal source, a report form, a read-API token) with
     * {@code team} as its optional {@code team}: that team, or by default the single workspace (single-token mode) or
     * the adopting one ({@code FIREBREAK_LEGACY_TEAM_ID}); {@link #LEGACY} when neither is known.
     */
    public Workspace configured(Optional<String> team) {
        return team.filter(t -> !t.isBlank())
                .map(Workspace::of)
                .orElseGet(
                        () -> Workspace.of(severalWorkspaces ? legacyTeam.orElse(LEGACY) : singleTeam.orElse(LEGACY)));
    }

    /**
     * Which incidents a read-API token configured with {@code team} reads. With several workspaces, a token without a
     * {@code team} reads nothing (unless FIREBREAK_LEGACY_TEAM_ID says which workspace the old configuration served): a
     * token made for one workspace must never read them all.
     */
    public Teams readableWith(Optional<String> team) {
        if (!severalWorkspaces) {
            return Teams.all();
        }
        Workspace workspace = configured(team);
        return workspace.teamId().isBlank() ? Teams.only(List.of()) : visibleTo(workspace);
    }
}
