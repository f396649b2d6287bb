package io.firebreak.bot.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firebreak.bot.testing.SharedPostgres;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.storage.DatabaseUrl;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * With {@code DATABASE_MIGRATION_URL} the owner migrates and the bot runs as a role that owns nothing: it does its
 * work, and cannot switch off the timeline's append-only trigger, truncate it or rewrite its rows.
 */
class LeastPrivilegeTest {

    @Test
    void theBotsRoleWorksButCannotDisableTheTriggerTruncateOrRewriteTheTimeline() {
        DatabaseUrl owner = SharedPostgres.freshDatabase();
        String role = "firebreak_bot_" + owner.jdbcUrl().replaceAll(".*firebreak_test_(\\d+).*", "$1");
        Jdbi asOwner = Jdbi.create(owner.jdbcUrl());
        asOwner.useHandle(h -> h.execute("create role " + role + " login"));
        String botUrl = owner.jdbcUrl().replace("user=postgres", "user=" + role);

        try (TestBot bot = TestBot.start(Map.of("DATABASE_URL", botUrl, "DATABASE_MIGRATION_URL", owner.jdbcUrl()))) {
            assertThat(bot.text(bot.command("open high Least privilege"))).contains("INC-1");
            bot.command("note INC-1 the bot can still write");
            bot.command("status INC-1 investigating");
            // The card jobs ran and were deleted from db-scheduler's table by the bot's role.
            bot.awaitCount(0, "select count(*) from scheduled_tasks");
            assertThat(bot.json(bot.api("/api/incidents/INC-1/timeline/verify"))
                            .path("ok")
                            .asBoolean())
                    .isTrue();

            Jdbi asBot = bot.db();
            String current = asBot.withHandle(
                    h -> h.select("select current_user").mapTo(String.class).one());
            assertThat(current).isEqualTo(role);
            assertThatThrownBy(() -> asBot.useHandle(h -> h.execute("alter table timeline_event disable trigger user")))
                    .hasMessageContaining("must be owner of table timeline_event");
            assertThatThrownBy(() -> asBot.useHandle(h -> h.execute("truncate timeline_event")))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asBot.useHandle(h -> h.execute("update timeline_event set actor = 'U0MALLORY'")))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asBot.useHandle(h -> h.execute("delete from record_checkpoint")))
                    .hasMessageContaining("permission denied");
            String tableOwner = asOwner.withHandle(
                    h -> h.select("select tableowner from pg_tables where tablename = 'timeline_event'")
                            .mapTo(String.class)
                            .one());
            int events = asOwner.withHandle(h -> h.select("select count(*) from timeline_event")
                    .mapTo(Integer.class)
                    .one());
            assertThat(tableOwner).isEqualTo("postgres");
            assertThat(events).as("nothing the bot's role tried was written").isEqualTo(3);
        }
    }
}
