package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The App Home tab, from Slack's documented app_home_opened event to the views.publish the bot sends. */
class HomeTabTest {
    static final String VIEWER = "U061F7AUR";
    static final String SOMEONE_ELSE = "U0OTHER001";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start();
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private HttpResponse<String> openHome(String eventId, String user, String tab) {
        return SlackRequests.event(bot, SlackRequests.appHomeOpened(eventId, user, tab));
    }

    private JsonNode publishedView(int call) {
        Map<String, String> publish =
                bot.slack().awaitCalls("views.publish", call + 1).get(call);
        assertThat(publish.get("user_id")).isEqualTo(VIEWER);
        assertThat(publish.get("_authorization")).isEqualTo("Bearer " + TestBot.BOT_TOKEN);
        return bot.slack().json(publish.get("view"));
    }

    /** The text of every section, in order. */
    private static List<String> sections(JsonNode view) {
        List<String> texts = new ArrayList<>();
        view.path("blocks").forEach(b -> {
            if (b.path("type").asText().equals("section")) {
                texts.add(b.path("text").path("text").asText());
            }
        });
        return texts;
    }

    @Test
    void theViewersIncidentsComeFirstThenTheRestMostSevereFirst() {
        bot.command("open low Typo in a drafted answer", SOMEONE_ELSE, TestBot.CHANNEL);
        bot.command("open medium Wrong store hours", VIEWER, TestBot.CHANNEL);
        bot.command("open critical Agent deleting customer records", SOMEONE_ELSE, TestBot.CHANNEL);
        bot.command("open Unassessed report", SOMEONE_ELSE, TestBot.CHANNEL);
        bot.command("open high Refund agent leaked an address &lt;script&gt; &amp; more", VIEWER, TestBot.CHANNEL);
        bot.db()
                .useHandle(h -> h.execute(
                        "update incident set channel_id = 'C0INC00003', phase = 'INVESTIGATING' where id = 3"));

        HttpResponse<String> response = openHome("Ev0HOME0001", VIEWER, "home");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode view = publishedView(0);
        assertThat(view.path("type").asText()).isEqualTo("home");
        assertThat(view.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("Open incidents");
        List<String> sections = sections(view);
        assertThat(sections.get(0)).isEqualTo("*You command* (2)");
        assertThat(sections.get(1))
                .startsWith("*INC-5* · :large_orange_circle: high · detected · open ")
                .contains("Refund agent leaked an address &lt;script&gt; &amp; more")
                .contains("Commander <@" + VIEWER + ">");
        assertThat(sections.get(2)).startsWith("*INC-2* · :large_yellow_circle: medium");
        assertThat(sections.get(3)).isEqualTo("*Other open incidents* (3)");
        assertThat(sections.get(4))
                .startsWith("*INC-3* · :red_circle: critical · investigating")
                .contains("<#C0INC00003>")
                .contains("Commander <@" + SOMEONE_ELSE + ">");
        assertThat(sections.get(5)).startsWith("*INC-1* · :white_circle: low");
        assertThat(sections.get(6)).startsWith("*INC-4* · :grey_question: not assessed");
        assertThat(sections).hasSize(7);
    }

    @Test
    void closedIncidentsAreLeftOutAndNoneOpenSaysSo() {
        bot.command("open high Refund agent sent wrong refunds", VIEWER, TestBot.CHANNEL);
        bot.db().useHandle(h -> h.execute("update incident set phase = 'CLOSED'"));

        openHome("Ev0HOME0002", VIEWER, "home");

        List<String> sections = sections(publishedView(0));
        assertThat(sections).hasSize(1);
        assertThat(sections.get(0)).contains("No open incidents");
    }

    @Test
    void aLongListIsCutCleanlyAtSlacksHundredBlocks() {
        bot.db().useHandle(h -> {
            h.execute("""
                    insert into incident (title, severity, phase, commander, reporter, source, opened_at, updated_at)
                    select 'Incident number ' || n, case when n % 2 = 0 then 'HIGH' else 'LOW' end, 'DETECTED',
                           case when n <= 3 then ? else ? end, ?, 'test', now(), now()
                    from generate_series(1, 150) n
                    """, VIEWER, SOMEONE_ELSE, SOMEONE_ELSE);
        });

        openHome("Ev0HOME0003", VIEWER, "home");

        JsonNode view = publishedView(0);
        JsonNode blocks = view.path("blocks");
        assertThat(blocks.size()).isEqualTo(HomeTab.MAX_BLOCKS);
        JsonNode last = blocks.get(blocks.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("context");
        long shown = sections(view).stream().filter(t -> t.startsWith("*INC-")).count();
        assertThat(last.path("elements").get(0).path("text").asText())
                .isEqualTo("…and " + (150 - shown) + " more open incidents. `/incident list` lists them.");
        assertThat(sections(view).get(0)).isEqualTo("*You command* (3)");
        assertThat(sections(view).get(1)).startsWith("*INC-2* · :large_orange_circle: high");
        assertThat(blocks.get(blocks.size() - 2).path("text").path("text").asText())
                .startsWith("*INC-");
    }

    @Test
    void theMessagesTabIsLeftAlone() {
        bot.command("open high Refund agent sent wrong refunds", VIEWER, TestBot.CHANNEL);

        HttpResponse<String> response = openHome("Ev0HOME0004", VIEWER, "messages");

        assertThat(response.statusCode()).isEqualTo(200);
        openHome("Ev0HOME0005", VIEWER, "home");
        bot.slack().awaitCalls("views.publish", 1);
        sleep(500);
        assertThat(bot.slack().calls("views.publish")).hasSize(1);
    }

    @Test
    void slackRefusingThePublishIsAcknowledgedAndLogged() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/views.publish")
                        .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_arguments\"}")));

        HttpResponse<String> response = openHome("Ev0HOME0006", VIEWER, "home");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(bot.slack().awaitCalls("views.publish", 1)).hasSize(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
