package io.firebreak.bot.install;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Firebreak in OAuth install mode, and a browser going through its install pages against a stand-in Slack. */
final class Installs {
    static final String CLIENT_ID = "2141029472.691202649728";
    /** Slack's documented example client secret (oauth.v2.access reference). */
    static final String CLIENT_SECRET = "e1b9e11dfcd19c1982d5de12921e17e8c";

    static final String TOKEN_KEY = Base64.getEncoder().encodeToString("firebreak-test-token-key-32bytes".getBytes());
    /** Slack's documented code example. */
    static final String CODE =
            "4724469134.4644010092847.232b4e6d82c333b475fc30f5f5a341d294feb1a94392c2fd791f7ab7731a443d1a";

    /** Slack's documented install answer: workspace T9TK3CUKW ("Slack Softball Team"), no token rotation. */
    static final String BOT_AND_USER = "slack/oauth/oauth.v2.access_success_bot_and_user_docs.json";
    /** Slack's documented answer with token rotation on: same workspace, a refresh token, 12 hours. */
    static final String ROTATION = "slack/oauth/oauth.v2.access_success_token_rotation_docs.json";
    /** The Python SDK's token-rotation answer: workspace T111 of org E111 (the uninstall events' workspace). */
    static final String ROTATION_T111 = "slack/oauth/oauth.v2.access_token_rotation_enterprise_python_sdk_mock.json";

    private static final Pattern STATE = Pattern.compile("[?;]state=([^&\"]+)");

    private Installs() {}

    /** The test bot's settings with OAuth install on and no static bot token. */
    static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", null);
        env.put("SLACK_CLIENT_ID", CLIENT_ID);
        env.put("SLACK_CLIENT_SECRET", CLIENT_SECRET);
        env.put("FIREBREAK_TOKEN_KEY", TOKEN_KEY);
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    static TestBot start(String... more) {
        return TestBot.start(env(more));
    }

    /** What the browser got at {@code /slack/install}: the page, the state in its link, and the cookie set with it. */
    record Started(HttpResponse<String> page, String state, String cookie) {}

    static Started startInstall(TestBot bot) {
        HttpResponse<String> page =
                bot.send(HttpRequest.newBuilder(bot.uri("/slack/install")).GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher state = STATE.matcher(page.body());
        assertThat(state.find())
                .as("install page links to Slack with a state: " + page.body())
                .isTrue();
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        return new Started(page, URLDecoder.decode(state.group(1), StandardCharsets.UTF_8), cookie.split(";")[0]);
    }

    /** Slack's redirect back to the bot, in the browser that started the install. */
    static HttpResponse<String> redirect(TestBot bot, String query, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bot.uri("/slack/oauth_redirect") + "?" + query))
                .GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return bot.send(request.build());
    }

    static HttpResponse<String> finish(TestBot bot, Started started) {
        return redirect(bot, "code=" + CODE + "&state=" + enc(started.state()), started.cookie());
    }

    /** Goes through the whole install, Slack answering {@code oauth.v2.access} with {@code fixture}. */
    static HttpResponse<String> install(TestBot bot, String fixture) {
        answerInstall(bot, okJson(Fixtures.read(fixture)));
        return finish(bot, startInstall(bot));
    }

    /** How the stand-in Slack answers the install's code exchange. */
    static void answerInstall(TestBot bot, ResponseDefinitionBuilder answer) {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/oauth.v2.access")
                        .withRequestBody(containing("code="))
                        .willReturn(answer));
    }

    /** How the stand-in Slack answers a token refresh. */
    static void answerRefresh(TestBot bot, ResponseDefinitionBuilder answer) {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/oauth.v2.access")
                        .withRequestBody(containing("grant_type=refresh_token"))
                        .willReturn(answer));
    }

    static List<Map<String, String>> exchanges(TestBot bot) {
        return bot.slack().calls("oauth.v2.access").stream()
                .filter(c -> c.containsKey("code"))
                .toList();
    }

    static List<Map<String, String>> refreshes(TestBot bot) {
        return bot.slack().calls("oauth.v2.access").stream()
                .filter(c -> "refresh_token".equals(c.get("grant_type")))
                .toList();
    }

    static String enc(String value) {
        return Fixtures.encode(value);
    }
}
