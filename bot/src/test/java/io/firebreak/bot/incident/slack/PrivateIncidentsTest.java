package io.firebreak.bot.incident.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.access.ApiToken;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.SlackRequests;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Private incidents, end to end on signed Slack requests: opened into a private channel, and seen only by that
 * channel's members, the commander and the security group (FIREBREAK_PRIVATE_RESPONDERS) in Slack, and only by tokens
 * with {@code private:read} in the read API.
 */
class PrivateIncidentsTest {
    private static final String SECRET_TITLE = "Support agent leaked a customer's card number";
    /** The channel {@code conversations.create} answers with in {@code SlackApiStub}. */
    private static final String PRIVATE_CHANNEL = "C0EAQDV4Z";

    private static final String MEMBER = "U0MEMBER01";
    private static final String OUTSIDER = "U0OUTSIDE1";
    private static final String SECURITY = "U0SECURE01";
    private static final String DASHBOARD = "dashboard-token-0123456789";
    private static final String FORENSICS = "forensics-token-9876543210";
    private static final String FORM = "application/x-www-form-urlencoded";

    private TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(Map.of(
                "FIREBREAK_PRIVATE_RESPONDERS",
                SECURITY,
                "FIREBREAK_API_TOKENS",
                "dashboard:" + ApiToken.hash(DASHBOARD) + ":incidents:read;" + "forensics:" + ApiToken.hash(FORENSICS)
                        + ":incidents:read,evidence:read,private:read"));
        // Slack's documented answer shape for conversations.members.
        bot.slack().wiremock().stubFor(post("/api/conversations.members").willReturn(okJson("""
                {"ok": true, "members": ["%s", "%s"], "response_metadata": {"next_cursor": ""}}""".formatted(
                        TestBot.USER, MEMBER))));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    /** INC-1 public, INC-2 private, both opened by {@link TestBot#USER}, with INC-2's channel and card in place. */
    private void openBoth() {
        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("Opened *INC-1*");
        assertThat(bot.text(bot.command("open --private critical " + SECRET_TITLE)))
                .contains("Opened *INC-2*")
                .contains("private");
        bot.awaitCount(
                1,
                "select count(*) from incident where private and channel_id = ? and card_ts is not null",
                PRIVATE_CHANNEL);
    }

    private String list(String user) {
        return bot.text(bot.command("list", user, TestBot.CHANNEL));
    }

    @Test
    void aPrivateIncidentGetsAPrivateChannelAndItsOriginHearsOnlyThatOneWasOpened() {
        String said = bot.text(bot.command("open --private critical " + SECRET_TITLE));

        assertThat(said).contains("Opened *INC-1*").contains("critical").contains("private");
        Map<String, String> create =
                bot.slack().awaitCalls("conversations.create", 1).get(0);
        assertThat(create.get("is_private")).isEqualTo("1");
        assertThat(create.get("name")).isEqualTo("inc-1");
        var posts = bot.slack().awaitCalls("chat.postMessage", 2);
        assertThat(posts.get(0).get("channel")).isEqualTo(PRIVATE_CHANNEL);
        assertThat(posts.get(0).get("text")).contains(SECRET_TITLE);
        assertThat(posts.get(0).get("blocks")).contains(":lock: private");
        assertThat(posts.get(1).get("channel")).isEqualTo(TestBot.CHANNEL);
        assertThat(posts.get(1).get("text"))
                .contains("A private incident was opened")
                .doesNotContain("INC-1")
                .doesNotContain("card number")
                .doesNotContain("critical")
                .doesNotContain(PRIVATE_CHANNEL);
        assertThat(bot.count("select count(*) from incident where private and title = ?", SECRET_TITLE))
                .isEqualTo(1);
    }

    @Test
    void aPrivateIncidentStaysOutOfTheOriginChannelEvenWithIncidentChannelsOffAndSlackRefusingTheChannel() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.create")
                        .willReturn(okJson("{\"ok\":false,\"error\":\"name_taken\"}")));

        bot.command("open --private critical " + SECRET_TITLE);

        var posts = bot.slack().awaitCalls("chat.postMessage", 3);
        assertThat(posts)
                .filteredOn(p -> TestBot.CHANNEL.equals(p.get("channel")))
                .singleElement()
                .satisfies(
                        p -> assertThat(p.get("text")).doesNotContain("INC-1").doesNotContain("card number"));
        assertThat(posts.get(0).get("channel")).isEqualTo(TestBot.USER);
    }

    @Test
    void theListShowsAPrivateIncidentOnlyToChannelMembersTheCommanderAndTheSecurityGroup() {
        openBoth();

        assertThat(list(OUTSIDER))
                .contains("INC-1")
                .doesNotContain("INC-2")
                .doesNotContain("card number")
                .contains("(1)");
        assertThat(list(MEMBER)).contains("INC-1").contains("INC-2").contains("card number");
        assertThat(list(TestBot.USER)).contains("INC-2");
        assertThat(list(SECURITY)).contains("INC-2");
    }

    @Test
    void showRefusesAPrivateIncidentToAnOutsiderWithoutSayingWhatItIs() {
        openBoth();

        String refused = bot.text(bot.command("show INC-2", OUTSIDER, TestBot.CHANNEL));
        String shown = bot.json(bot.command("show INC-2", MEMBER, TestBot.CHANNEL))
                .path("blocks")
                .toString();

        assertThat(refused).contains("There is no INC-2 you can see").doesNotContain("card number");
        assertThat(shown).contains("card number");
        assertThat(bot.json(bot.command("show INC-2", SECURITY, TestBot.CHANNEL))
                        .path("blocks")
                        .toString())
                .contains("card number");
    }

    @Test
    void whenSlackCannotSayWhoIsInTheChannelOnlyTheCommanderAndSecuritySeeIt() {
        openBoth();
        bot.slack()
                .wiremock()
                .stubFor(post("/api/conversations.members")
                        .willReturn(aResponse().withStatus(500)));

        assertThat(list(MEMBER)).contains("INC-1").doesNotContain("INC-2");
        assertThat(bot.text(bot.command("show INC-2", MEMBER, TestBot.CHANNEL)))
                .contains("There is no INC-2 you can see");
        assertThat(list(TestBot.USER)).contains("INC-2");
        assertThat(list(SECURITY)).contains("INC-2");
    }

    @Test
    void theReadApiShowsAPrivateIncidentOnlyToTokensWithPrivateRead() {
        openBoth();

        HttpResponse<String> dashboardList = bot.get("/api/incidents", Optional.of(DASHBOARD));
        HttpResponse<String> dashboardOne = bot.get("/api/incidents/INC-2", Optional.of(DASHBOARD));
        HttpResponse<String> dashboardVerify = bot.get("/api/incidents/INC-2/timeline/verify", Optional.of(DASHBOARD));

        assertThat(dashboardList.body())
                .contains("INC-1")
                .doesNotContain("INC-2")
                .doesNotContain("card number");
        assertThat(dashboardOne.statusCode()).isEqualTo(404);
        assertThat(dashboardOne.body()).doesNotContain("card number");
        assertThat(dashboardVerify.statusCode()).isEqualTo(404);
        assertThat(bot.get("/api/incidents", Optional.of(FORENSICS)).body()).contains("INC-2");
        assertThat(bot.json(bot.get("/api/incidents/INC-2", Optional.of(FORENSICS)))
                        .path("title")
                        .asText())
                .isEqualTo(SECRET_TITLE);
        assertThat(bot.json(bot.get("/api/incidents/INC-2", Optional.of(FORENSICS)))
                        .path("private")
                        .asBoolean())
                .isTrue();
        assertThat(bot.json(bot.get("/api/incidents/INC-1", Optional.of(DASHBOARD)))
                        .path("private")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void onCallAndAppHomeShowAPrivateIncidentOnlyToThoseWhoMaySeeIt() {
        openBoth();

        assertThat(bot.text(bot.command("oncall", OUTSIDER, TestBot.CHANNEL)))
                .contains("INC-1")
                .doesNotContain("INC-2");
        assertThat(bot.text(bot.command("oncall", MEMBER, TestBot.CHANNEL))).contains("INC-2");

        SlackRequests.event(bot, SlackRequests.appHomeOpened("Ev0PRIVATE1", OUTSIDER, "home"));
        Map<String, String> outsiderHome =
                bot.slack().awaitCalls("views.publish", 1).get(0);
        SlackRequests.event(bot, SlackRequests.appHomeOpened("Ev0PRIVATE2", SECURITY, "home"));
        Map<String, String> securityHome =
                bot.slack().awaitCalls("views.publish", 2).get(1);

        assertThat(outsiderHome.get("user_id")).isEqualTo(OUTSIDER);
        assertThat(outsiderHome.get("view"))
                .contains("INC-1")
                .doesNotContain("INC-2")
                .doesNotContain("card number");
        assertThat(securityHome.get("view")).contains("INC-2").contains("card number");
    }

    @Test
    void aHandoffPackToSomeoneOutsideTheChannelNamesThePrivateIncidentButNotWhatItIsAbout() {
        openBoth();
        String responder = "U024BE7LH";

        assertThat(bot.text(bot.command("handoff INC-2 <@" + responder + "|bob> over to you")))
                .contains("Offered INC-2");

        Map<String, String> pack = bot.slack().awaitCall("chat.postMessage", c -> responder.equals(c.get("channel")));
        assertThat(pack.get("blocks"))
                .contains("INC-2")
                .contains("private incident")
                .contains("I have it")
                .doesNotContain("card number");
    }

    @Test
    void theRegressionCaseExportLeavesOutPrivateIncidentsForTokensWithoutPrivateRead() {
        openBoth();
        // The stored result of building a case from a failing run (ScriptedIncidentTest drives that end to end).
        for (long incident : new long[] {1, 2}) {
            bot.db()
                    .useHandle(h -> h.execute(
                            "insert into follow_up (incident_id, kind, text, source_run_id, input, bad_output,"
                                    + " expected_behavior, created_by, created_at) values (?, 'REGRESSION_CASE', ?, ?, '{\"q\": \"input\"}'::jsonb,"
                                    + " '{\"a\": \"output\"}'::jsonb, ?, ?, now())",
                            incident,
                            "case of INC-" + incident,
                            "run-" + incident,
                            "expected of INC-" + incident,
                            TestBot.USER));
        }

        String everyScopeButPrivate = bot.api("/api/regression-cases.jsonl").body();
        String withPrivate =
                bot.get("/api/regression-cases.jsonl", Optional.of(FORENSICS)).body();

        assertThat(everyScopeButPrivate).contains("expected of INC-1").doesNotContain("expected of INC-2");
        assertThat(withPrivate).contains("expected of INC-1").contains("expected of INC-2");
        assertThat(bot.api("/api/incidents/INC-2/regression-cases.jsonl").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theReportFormsPrivateBoxOpensAPrivateIncidentAndTheChosenChannelHearsOnlyThatOneWasOpened() {
        bot.postSigned(SlackPayloads.globalShortcut("report_agent_incident", OUTSIDER, "123.123.123"), FORM);
        String form = bot.slack().awaitCalls("views.open", 1).get(0).get("view");
        assertThat(form).contains("Private incident");

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode channel = mapper.createObjectNode();
        channel.putObject("channel").put("type", "conversations_select").put("selected_conversation", "C0SUPPORT1");
        ObjectNode privateBox = mapper.createObjectNode();
        privateBox
                .putObject("private")
                .put("type", "checkboxes")
                .putArray("selected_options")
                .addObject()
                .put("value", "private");
        HttpResponse<String> submitted = bot.postSigned(
                SlackPayloads.viewSubmission(
                        "incident_assessment",
                        "new",
                        OUTSIDER,
                        SlackPayloads.assessment(
                                false,
                                "ONE_USER",
                                new String[] {"PRIVACY"},
                                false,
                                true,
                                Map.of(
                                        "title",
                                        SlackPayloads.text("title", SECRET_TITLE),
                                        "channel",
                                        channel,
                                        "private",
                                        privateBox))),
                FORM);

        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(bot.count("select count(*) from incident where private and title = ?", SECRET_TITLE))
                .isEqualTo(1);
        assertThat(bot.slack().awaitCalls("conversations.create", 1).get(0).get("is_private"))
                .isEqualTo("1");
        Map<String, String> toOrigin =
                bot.slack().awaitCall("chat.postMessage", c -> "C0SUPPORT1".equals(c.get("channel")));
        assertThat(toOrigin.get("text"))
                .contains("A private incident was opened")
                .doesNotContain("INC-1")
                .doesNotContain("card number");
        assertThat(list("U0SOMEONE1")).doesNotContain("INC-1");
        assertThat(list(OUTSIDER)).contains("INC-1");
    }
}
