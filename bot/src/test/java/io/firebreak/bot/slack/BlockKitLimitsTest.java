package io.firebreak.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.testing.PrometheusText;
import io.firebreak.bot.testing.SlackApiStub;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The payloads real Slack would refuse (issue 21), end to end: what a person gets instead of a message that never
 * appears. Every test here also passes the stand-in's Block Kit check when its bot closes.
 */
class BlockKitLimitsTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String BOB = "U0BOB00001";

    @Test
    void sixLongIncidentsWithSeverityOverridesArriveWholeOverSeveralHandoffMessages() {
        try (TestBot bot = TestBot.start(Map.of("FIREBREAK_RESPONDERS", TestBot.USER + "," + BOB))) {
            for (int n = 1; n <= 6; n++) {
                bot.command("open high Incident " + n + " & the refund agent "
                        + "kept sending wrong refunds <again> ".repeat(12));
                bot.command(
                        "sev INC-" + n + " critical refunds still going out to 300 customers & the queue is growing "
                                + "fast ".repeat(60));
                bot.command("note INC-" + n + " paused the refunds workflow at 09:2" + n);
            }
            bot.awaitCount(6, "select count(*) from incident where card_ts is not null");

            String answer = bot.text(bot.command("handoff <@" + BOB + "|bob> end of my shift"));

            assertThat(answer).contains("INC-1, INC-2, INC-3, INC-4, INC-5, INC-6");
            List<JsonNode> pack = awaitPack(bot, 2);
            assertThat(pack).allSatisfy(m -> assertThat(m.size()).isLessThanOrEqualTo(BlockKit.MESSAGE_BLOCKS));
            String all = pack.toString();
            for (int n = 1; n <= 6; n++) {
                assertThat(all)
                        .as("INC-%d is in the pack in full", n)
                        .contains("*INC-" + n + "* · Incident " + n + " &amp; the refund agent")
                        .contains("paused the refunds workflow at 09:2" + n);
            }
            assertThat(all).doesNotContain("more: `/incident oncall` lists them all");
            assertThat(pack.get(0).get(0).path("text").path("text").asText())
                    .isEqualTo("Handoff: 6 incident(s) for you");
            assertThat(pack.get(1).get(0).path("text").path("text").asText()).startsWith("Handoff, continued (2 of ");
            JsonNode last = pack.get(pack.size() - 1);
            assertThat(last.get(last.size() - 1).toString())
                    .contains("incident_handoff_accept")
                    .contains("I have it");
            assertThat(pack.subList(0, pack.size() - 1).toString()).doesNotContain("incident_handoff_accept");
        }
    }

    @Test
    void aPastedHtmlTableAsHandoffNoteIsCutAfterEscapingAndPointsToTheFullNote() {
        try (TestBot bot = TestBot.start(Map.of("FIREBREAK_RESPONDERS", TestBot.USER + "," + BOB))) {
            bot.command("open high Refund agent sent wrong refunds");
            StringBuilder table = new StringBuilder("<table><tr><th>order</th><th>refund</th></tr>");
            while (table.length() < 1900) {
                table.append("<tr><td>5531</td><td>€2.40 & not €240</td></tr>");
            }
            table.append("</table>");

            // Slack sends a command's text with &, < and > escaped, as a pasted table arrives.
            bot.command("handoff INC-1 <@" + BOB + "|bob> " + SlackText.escape(table.toString()));

            JsonNode intro = awaitPack(bot, 1).get(0).get(1);
            String text = intro.path("text").path("text").asText();
            assertThat(text.length()).isLessThanOrEqualTo(BlockKit.SECTION_TEXT);
            assertThat(text)
                    .startsWith("<@" + TestBot.USER + "> is handing this incident to you.")
                    .contains("\n>&lt;table&gt;&lt;tr&gt;&lt;th&gt;order")
                    .doesNotContain("<table>")
                    .endsWith("… (full note on each incident's timeline)");
            assertThat(bot.string("select details->>'note' from timeline_event where kind = 'handoff_offered'"))
                    .startsWith("<table>");
        }
    }

    @Test
    void aHostileFiveHundredCharacterReporterGetsTheCardDeliveredWithTheNameCut() throws Exception {
        try (TestBot bot = TestBot.start(
                Map.of("FIREBREAK_INTAKE_SECRET", TestBot.INTAKE_SECRET, "FIREBREAK_TRIAGE_CHANNEL", "C0TRIAGE01"))) {
            // Escaping makes each & five characters: 500 typed become 2,460 in the card.
            String reporter = "<!channel>" + "&".repeat(490);
            String json = new ObjectMapper()
                    .createObjectNode()
                    .put("description", "The support agent promised a refund it cannot give.")
                    .put("reporter", reporter)
                    .put("form", "support-widget")
                    .toString();

            HttpResponse<String> response = bot.report(json);

            assertThat(response.statusCode()).isEqualTo(202);
            Map<String, String> card = bot.slack()
                    .awaitCall(
                            "chat.postMessage", c -> "C0TRIAGE01".equals(c.get("channel")) && c.containsKey("blocks"));
            JsonNode fields = bot.slack().json(card.get("blocks")).get(1).path("fields");
            String field = fields.get(3).path("text").asText();
            assertThat(field)
                    .startsWith("*Reporter*\n&lt;!channel&gt;&amp;")
                    .endsWith("…")
                    .doesNotContain("<!channel>");
            assertThat(field.length()).isLessThanOrEqualTo(BlockKit.FIELD_TEXT);
            assertThat(bot.string("select reporter from incident where id = 1")).isEqualTo(reporter);
            Map<String, String> notice = bot.slack()
                    .awaitCall(
                            "chat.postMessage", c -> c.getOrDefault("text", "").contains("User report RPT-1"));
            assertThat(notice.get("text")).doesNotContain("<!channel>").contains("form `support-widget`");
        }
    }

    @Test
    void aCardSlackRefusesIsReplacedByAPlainCardAndCountedNotRetried() {
        try (TestBot bot = TestBot.start()) {
            bot.slack()
                    .wiremock()
                    .stubFor(post("/api/chat.postMessage")
                            .withRequestBody(containing("blocks="))
                            .atPriority(1)
                            .willReturn(okJson("{\"ok\": false, \"error\": \"invalid_blocks\"}")));

            bot.command("open high Refund agent sent wrong refunds & more");

            Map<String, String> plain = bot.slack().awaitCall("chat.postMessage", c -> !c.containsKey("blocks"));
            assertThat(plain.get("channel")).isEqualTo(TestBot.CHANNEL);
            assertThat(plain.get("text"))
                    .contains("*INC-1*")
                    .contains("Refund agent sent wrong refunds &amp; more")
                    .contains("Severity: high")
                    .contains("Phase: detected")
                    .contains("`/incident show INC-1`");
            bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
            SlackApiStub.sleep(1500);
            assertThat(bot.slack().calls("chat.postMessage").stream().filter(c -> c.containsKey("blocks")))
                    .hasSize(1);
            PrometheusText metrics =
                    new PrometheusText(bot.get("/metrics", Optional.empty()).body());
            assertThat(metrics.get(
                            "firebreak_slack_refused_total",
                            Map.of("method", "chat.postMessage", "error", "invalid_blocks")))
                    .isEqualTo(1);
        }
    }

    @Test
    void aCardUpdateSlackRefusesTurnsTheCardIntoThePlainOne() {
        try (TestBot bot = TestBot.start()) {
            bot.command("open high Refund agent sent wrong refunds");
            bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
            bot.slack()
                    .wiremock()
                    .stubFor(post("/api/chat.update")
                            .withRequestBody(containing("blocks=%5B%7B"))
                            .atPriority(1)
                            .willReturn(okJson("{\"ok\": false, \"error\": \"invalid_blocks\"}")));

            bot.command("status INC-1 contained paused the refunds workflow");

            Map<String, String> plain = bot.slack()
                    .awaitCall("chat.update", c -> c.getOrDefault("text", "").contains("Slack refused the full card"));
            assertThat(plain.get("text"))
                    .contains("*INC-1*")
                    .contains("Phase: contained")
                    .contains("`/incident show INC-1`");
            assertThat(plain.get("blocks")).isEqualTo("[]");
            assertThat(plain.get("ts")).isEqualTo(bot.string("select card_ts from incident where id = 1"));
            PrometheusText metrics =
                    new PrometheusText(bot.get("/metrics", Optional.empty()).body());
            assertThat(metrics.get(
                            "firebreak_slack_refused_total",
                            Map.of("method", "chat.update", "error", "invalid_blocks")))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aHandoffPackSlackRefusesArrivesAsKeysAndTheButton() {
        try (TestBot bot = TestBot.start(Map.of("FIREBREAK_RESPONDERS", TestBot.USER + "," + BOB))) {
            bot.command("open high Refund agent sent wrong refunds");
            bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
            // The full pack's header says "for you"; the plain one has no header.
            bot.slack()
                    .wiremock()
                    .stubFor(post("/api/chat.postMessage")
                            .withRequestBody(matching(".*for(\\+|%20)you.*"))
                            .atPriority(1)
                            .willReturn(okJson("{\"ok\": false, \"error\": \"invalid_blocks\"}")));

            bot.command("handoff INC-1 <@" + BOB + "|bob> over to you");

            Map<String, String> plain = bot.slack()
                    .awaitCall(
                            "chat.postMessage",
                            c -> BOB.equals(c.get("channel"))
                                    && c.getOrDefault("blocks", "").contains("Slack refused the full handoff pack"));
            assertThat(plain.get("blocks"))
                    .contains("is handing INC-1 to you")
                    .contains("`/incident show INC-1`")
                    .contains("incident_handoff_accept")
                    .contains("I have it");
        }
    }

    /** The blocks of each pack message sent to Bob, oldest first, once at least {@code count} arrived. */
    private static List<JsonNode> awaitPack(TestBot bot, int count) {
        Map<String, String> last = bot.slack()
                .awaitCall(
                        "chat.postMessage",
                        c -> BOB.equals(c.get("channel"))
                                && bot.slack().calls("chat.postMessage").stream()
                                                .filter(x -> BOB.equals(x.get("channel")))
                                                .count()
                                        >= count);
        assertThat(last).isNotNull();
        SlackApiStub.sleep(300);
        List<JsonNode> pack = new ArrayList<>();
        bot.slack().calls("chat.postMessage").stream()
                .filter(c -> BOB.equals(c.get("channel")))
                .forEach(c -> pack.add(bot.slack().json(c.get("blocks"))));
        return pack;
    }
}
