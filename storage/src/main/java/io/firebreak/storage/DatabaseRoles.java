package io.firebreak.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Least privilege for the bot's database role: migrations run as the tables' owner, and the bot runs as a role that
 * may read and write rows but owns nothing, so it cannot alter a table, disable a trigger or truncate. The append-only
 * tables (the timeline, checkpoints, evidence) take only inserts from it.
 */
public final class DatabaseRoles {
    /** The role the embedded server's bot connects as. */
    public static final String EMBEDDED_BOT_ROLE = "firebreak_bot";
    /** Rows here are never updated or deleted, by the bot or anyone. */
    static final List<String> APPEND_ONLY =
            List.of("timeline_event", "record_checkpoint", "evidence_snapshot", "evidence_raw");

    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    private DatabaseRoles() {}

    /**
     * Grants {@code botRole}, on a connection as the owner, what the bot needs on every table migrations made: select,
     * insert, update and delete (db-scheduler updates and deletes its own rows; incidents, runs and fetches are updated
     * as they move), but only select and insert on the append-only tables, and nothing on Flyway's history. Run after
     * each migration, so new tables are covered.
     */
    public static void grantToBot(Connection owner, String botRole) throws SQLException {
        if (!ROLE.matcher(botRole).matches()) {
            throw new IllegalArgumentException(
                    "the bot's database role must be a plain lower-case name, such as firebreak_bot");
        }
        try (Statement s = owner.createStatement()) {
            s.execute("grant usage on schema public to " + botRole);
            s.execute("grant select, insert, update, delete on all tables in schema public to " + botRole);
            s.execute("revoke update, delete on " + String.join(", ", APPEND_ONLY) + " from " + botRole);
            s.execute("revoke all on flyway_schema_history from " + botRole);
            s.execute("grant usage, select on all sequences in schema public to " + botRole);
        }
    }

    /** Creates the embedded server's bot role when it does not exist yet (the server trusts local connections). */
    static void createEmbeddedBotRole(Connection superuser) throws SQLException {
        try (Statement s = superuser.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_roles where rolname = '" + EMBEDDED_BOT_ROLE + "'");
            if (!rs.next()) {
                s.execute("create role " + EMBEDDED_BOT_ROLE + " login nosuperuser nocreatedb nocreaterole");
            }
        }
    }
}
