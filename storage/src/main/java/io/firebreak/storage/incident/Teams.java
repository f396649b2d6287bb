package io.firebreak.storage.incident;

import java.util.List;

/**
 * Which workspaces' incidents a read may return: all of them (single-token mode, where there is one workspace), or
 * those whose {@code team_id} is one of {@link #teams()}. The bot decides which (its {@code access/Tenancy}); the SQL
 * only applies it ({@code (:everyTeam or team_id = any(:teams))}).
 */
public final class Teams {
    private static final Teams ALL = new Teams(true, List.of());

    private final boolean all;
    private final List<String> teams;

    private Teams(boolean all, List<String> teams) {
        this.all = all;
        this.teams = List.copyOf(teams);
    }

    /** Every incident: single-token mode. */
    public static Teams all() {
        return ALL;
    }

    /** The incidents of these team ids only; none at all when empty. */
    public static Teams only(List<String> teamIds) {
        return new Teams(false, teamIds);
    }

    /** True when the read is not limited to some workspaces (SQL's {@code :everyTeam}). */
    public boolean everyTeam() {
        return all;
    }

    /** For SQL's {@code any(:teams)}. */
    public String[] teams() {
        return teams.toArray(String[]::new);
    }

    /** True when an incident of {@code teamId} is within. */
    public boolean includes(String teamId) {
        return all || teams.contains(teamId);
    }

    @Override
    public String toString() {
        return all ? "Teams[all]" : "Teams" + teams;
    }
}
