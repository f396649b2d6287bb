package io.firebreak.bot.install;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.install.slack.InstallFlow;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The install pages against a stand-in Slack: the success, and each way an install fails, as the browser sees it. */
class OAuthInstallTest {
    static final String DOCS_TOKEN = "xoxb-docs-example-bot-token";

    @Test
    void anInstallStoresTheWorkspaceWithItsTokenEncryptedAndSaysWhatToDoNext() {
        try (TestBot bot = Installs.start("FIREBREAK_PUBLIC_URL", "https://firebreak.example.com")) {
            Installs.answerInstall(bot, okJson(Fixtures.read(Installs.BOT_AND_USER)));
            Installs.Started started = Installs.startInstall(bot);

            String link = URLDecoder.decode(started.page().body(), StandardCharsets.UTF_8);
            assertThat(link)
                    .contains("https://slack.com/oauth/v2/authorize?client_id=" + Installs.CLIENT_ID)
                    .contains("scope=" + String.join(",", InstallFlow.BOT_SCOPES))
                    .contains("redirect_uri=https://firebreak.example.com/slack/oauth_redirect");
            assertThat(started.cookie()).startsWith("slack-app-oauth-state=" + started.state());
            assertThat(started.page().headers().firstValue("Cache-Control")).hasValue("no-store");

            HttpResponse<String> done = Installs.finish(bot, started);

            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(done.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(done.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(done.body())
                    .contains("Firebreak is installed in <strong>Slack Softball Team</strong>")
                    .contains("/incident help")
                    .doesNotContain(DOCS_TOKEN);
            // The code went to Slack with the app's credentials as Basic auth, and the redirect URL registered.
            bot.slack()
                    .wiremock()
                    .verify(postRequestedFor(urlEqualTo("/api/oauth.v2.access"))
                            .withHeader(
                                    "Authorization",
                                    equalTo("Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString((Installs.CLIENT_ID + ":" + Installs.CLIENT_SECRET)
                                                            .getBytes(StandardCharsets.UTF_8)))));
            assertThat(Installs.exchanges(bot)).singleElement().satisfies(call -> {
                assertThat(call).containsEntry("code", Installs.CODE);
                assertThat(call).containsEntry("redirect_uri", "https://firebreak.example.com/slack/oauth_redirect");
            });
            assertThat(bot.string(
                            "select team_id || ' ' || team_name || ' ' || enterprise_id || ' ' || bot_user_id || ' '"
                                    + " || installer_user_id || ' ' || bot_scopes || ' ' || is_enterprise_install"
                                    + " from slack_installation"))
                    .isEqualTo("T9TK3CUKW Slack Softball Team E12345678 U0KRQLJ9H U1234 commands,incoming-webhook"
                            + " false");
            // At rest the token is ciphertext: neither its text nor its bytes are in the row.
            assertThat(bot.string("select encode(bot_token, 'escape') from slack_installation"))
                    .doesNotContain("xoxb")
                    .doesNotContain("pdFZKVeTuE8sk7oOcBrzbqgy");
            assertThat(bot.string("select encode(bot_token, 'hex') from slack_installation"))
                    .doesNotContain(java.util.HexFormat.of().formatHex(DOCS_TOKEN.getBytes(StandardCharsets.UTF_8)));
            assertThat(bot.count("select count(*) from slack_installation where refresh_token is null"))
                    .isEqualTo(1);
            // No user token is kept, though Slack's answer carried one.
            assertThat(bot.string("select row_to_json(i)::text from slack_installation i"))
                    .doesNotContain("xoxp");
            // And the bot's Slack calls for that workspace get its token.
            assertThat(bot.firebreak().botTokens().botToken(Workspace.of("T9TK3CUKW")))
                    .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo(DOCS_TOKEN));
            assertThat(bot.firebreak().botTokens().botToken(Workspace.of("T0OTHER00")))
                    .isEmpty();
            // The state's cookie is cleared.
            assertThat(done.headers().allValues("Set-Cookie"))
                    .anySatisfy(c -> assertThat(c).startsWith("slack-app-oauth-state=deleted"));
        }
    }

    /**
     * Slack's documented org-wide install answer (enterprise_apps_reference_docs_excerpt.txt), made valid JSON (its
     * {@code authed_user} ends with {@code ...}) and for org E111, the org of Slack's org-level command example.
     */
    static final String ORG_WIDE = """
            {"ok": true, "access_token": "xoxb-XXXX", "token_type": "bot", "scope": "identify,users:read",
             "bot_user_id": "W0XXXX", "app_id": "A0UXXXX", "team": null, "enterprise": {"id": "E111", "name": "Starship"},
             "is_enterprise_install": true, "authed_user": {"id": "WXXXX", "access_token": "xoxp-XXXX"}}""";

    @Test
    void anOrgWideInstallServesEveryWorkspaceOfTheOrg() {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(bot, okJson(ORG_WIDE));

            HttpResponse<String> done = Installs.finish(bot, Installs.startInstall(bot));

            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(done.body()).contains("<strong>Starship</strong> (your whole Enterprise Grid org)");
            assertThat(bot.string("select installation_key || ' ' || is_enterprise_install || ' '"
                            + " || coalesce(team_id, 'no team') from slack_installation"))
                    .isEqualTo("E111 true no team");
            // Slack's org-level command example, from workspace T111 of org E111, then from another of its workspaces.
            String fromTheOrg = Fixtures.read("slack/slash_command_org_level_form.txt")
                    .replace("command=%2Forg-level-command", "command=%2Fincident")
                    .replace("text=test", "text=list");
            for (String team : java.util.List.of("T111", "T222")) {
                HttpResponse<String> answer = bot.postSigned(
                        fromTheOrg.replace("team_id=T111", "team_id=" + team), "application/x-www-form-urlencoded");
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).doesNotContain("not installed");
                assertThat(bot.firebreak().botTokens().botToken(new Workspace(team, java.util.Optional.of("E111"))))
                        .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("xoxb-XXXX"));
            }
            // Another org is not served.
            assertThat(bot.text(bot.postSigned(
                            fromTheOrg.replace("enterprise_id=E111", "enterprise_id=E222"),
                            "application/x-www-form-urlencoded")))
                    .contains("not installed");
        }
    }

    @Test
    void aDeniedInstallSaysItWasCancelledAndCallsNothing() {
        try (TestBot bot = Installs.start()) {
            Installs.Started started = Installs.startInstall(bot);

            HttpResponse<String> page = Installs.redirect(
                    bot, "error=access_denied&state=" + Installs.enc(started.state()), started.cookie());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("The install was cancelled").contains("href=\"/slack/install\"");
            assertThat(bot.slack().calls("oauth.v2.access")).isEmpty();
            assertThat(bot.count("select count(*) from slack_installation")).isZero();
        }
    }

    @Test
    void aStateNeverIssuedGetsTheExpiredLinkPage() {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(bot, okJson(Fixtures.read(Installs.BOT_AND_USER)));
            Installs.startInstall(bot);

            HttpResponse<String> forged = Installs.redirect(
                    bot, "code=" + Installs.CODE + "&state=forged-state", "slack-app-oauth-state=forged-state");
            HttpResponse<String> noCookie = Installs.redirect(bot, "code=" + Installs.CODE + "&state=forged", null);

            for (HttpResponse<String> page : java.util.List.of(forged, noCookie)) {
                assertThat(page.statusCode()).isEqualTo(400);
                assertThat(page.body())
                        .contains("This install link has expired or was already used")
                        .contains("<a href=\"/slack/install\">Start the install again</a>");
            }
            assertThat(bot.slack().calls("oauth.v2.access")).isEmpty();
            assertThat(bot.count("select count(*) from slack_installation")).isZero();
        }
    }

    @Test
    void aReplayedStateFailsAndSlackIsAskedOnce() {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(bot, okJson(Fixtures.read(Installs.BOT_AND_USER)));
            Installs.Started started = Installs.startInstall(bot);
            assertThat(Installs.finish(bot, started).statusCode()).isEqualTo(200);

            HttpResponse<String> again = Installs.finish(bot, started);

            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).contains("expired or was already used");
            assertThat(Installs.exchanges(bot)).hasSize(1);
        }
    }

    @Test
    void twoRedirectsWithOneStateAtOnceInstallOnce() throws Exception {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(
                    bot, okJson(Fixtures.read(Installs.BOT_AND_USER)).withFixedDelay(300));
            Installs.Started started = Installs.startInstall(bot);

            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> Installs.finish(bot, started));
            var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> Installs.finish(bot, started));

            assertThat(java.util.List.of(first.get().statusCode(), second.get().statusCode()))
                    .containsExactlyInAnyOrder(200, 400);
            assertThat(Installs.exchanges(bot)).hasSize(1);
        }
    }

    @Test
    void anExpiredStateFails() {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(bot, okJson(Fixtures.read(Installs.BOT_AND_USER)));
            Installs.Started started = Installs.startInstall(bot);
            // Eleven minutes later: the link lasted ten.
            bot.db()
                    .useHandle(h ->
                            h.execute("update slack_oauth_state set expires_at = expires_at - interval '11 minutes'"));

            HttpResponse<String> page = Installs.finish(bot, started);

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("expired or was already used");
            assertThat(bot.slack().calls("oauth.v2.access")).isEmpty();
        }
    }

    @Test
    void slackRefusingTheCodeSaysSoAndInstallsNothing() {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(bot, okJson("{\"ok\": false, \"error\": \"invalid_code\"}"));

            HttpResponse<String> page = Installs.finish(bot, Installs.startInstall(bot));

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body())
                    .contains("Slack did not finish the install")
                    .contains("invalid_code")
                    .contains("href=\"/slack/install\"");
            assertThat(bot.count("select count(*) from slack_installation")).isZero();
        }
    }

    @Test
    void slackDownSaysTheInstallDidNotFinish() {
        try (TestBot bot = Installs.start()) {
            Installs.answerInstall(bot, aResponse().withStatus(503).withBody("upstream connect error"));
            HttpResponse<String> unavailable = Installs.finish(bot, Installs.startInstall(bot));
            Installs.answerInstall(bot, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
            HttpResponse<String> reset = Installs.finish(bot, Installs.startInstall(bot));

            for (HttpResponse<String> page : java.util.List.of(unavailable, reset)) {
                assertThat(page.statusCode()).isEqualTo(502);
                assertThat(page.body()).contains("The install did not finish").contains("href=\"/slack/install\"");
            }
            assertThat(bot.count("select count(*) from slack_installation")).isZero();
        }
    }
}
