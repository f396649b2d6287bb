package io.firebreak.bot.install;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.TestBot;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Token rotation: a bot token about to expire is refreshed at {@code oauth.v2.access} once, by one replica, and a
 * failed refresh leaves the current token in use until it expires.
 */
class TokenRotationTest {
    static final Workspace SOFTBALL = Workspace.of("T9TK3CUKW");
    /** Slack's documented rotating tokens (oauth.v2.access_success_token_rotation_docs.json). */
    static final String FIRST_TOKEN = "xoxe.xoxb-1-..";

    static final String FIRST_REFRESH = "xoxe-1-...";
    /** The Python SDK's refresh answer (oauth.v2.access_token_rotation_enterprise_python_sdk_mock.json). */
    static final String NEXT_TOKEN = "xoxe.xoxb-1-yyy";

    static final String NEXT_REFRESH = "xoxe-1-yyy";

    private static TestBot installedWithRotation() {
        TestBot bot = Installs.start();
        Installs.install(bot, Installs.ROTATION);
        return bot;
    }

    private static void expiresIn(TestBot bot, String interval) {
        bot.db()
                .useHandle(h -> h.execute("update slack_installation set bot_token_expires_at = now() + interval '"
                        + interval + "' where installation_key = 'T9TK3CUKW'"));
    }

    private static Optional<String> token(TestBot bot) {
        return bot.firebreak().botTokens().botToken(SOFTBALL).map(Secret::value);
    }

    @Test
    void aTokenFarFromExpiryIsUsedAsIs() {
        try (TestBot bot = installedWithRotation()) {
            assertThat(bot.count("select count(*) from slack_installation where bot_token_expires_at"
                            + " between now() + interval '11 hours' and now() + interval '13 hours'"))
                    .isEqualTo(1);

            assertThat(token(bot)).hasValue(FIRST_TOKEN);
            assertThat(Installs.refreshes(bot)).isEmpty();
        }
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheNewPairStoredEncrypted() {
        try (TestBot bot = installedWithRotation()) {
            Installs.answerRefresh(bot, okJson(Fixtures.read(Installs.ROTATION_T111)));
            expiresIn(bot, "-1 minute");

            assertThat(token(bot)).hasValue(NEXT_TOKEN);
            assertThat(token(bot)).hasValue(NEXT_TOKEN);

            assertThat(Installs.refreshes(bot))
                    .singleElement()
                    .satisfies(call -> assertThat(call).containsEntry("refresh_token", FIRST_REFRESH));
            assertThat(bot.count("select count(*) from slack_installation where bot_token_expires_at"
                            + " > now() + interval '11 hours' and refresh_claim is null"))
                    .isEqualTo(1);
            assertThat(bot.string("select encode(bot_token, 'escape') || encode(refresh_token, 'escape')"
                            + " from slack_installation"))
                    .doesNotContain("xoxe");
        }
    }

    @Test
    void twoReplicasRefreshingAtOnceSpendTheRefreshTokenOnce() throws Exception {
        try (TestBot bot = installedWithRotation();
                TestBot replica = bot.replica()) {
            // Slack takes its time, so both replicas ask while the first refresh is under way.
            Installs.answerRefresh(
                    bot, okJson(Fixtures.read(Installs.ROTATION_T111)).withFixedDelay(800));
            expiresIn(bot, "-1 minute");
            CountDownLatch go = new CountDownLatch(1);

            List<CompletableFuture<Optional<String>>> asked = List.of(bot, replica, bot, replica).stream()
                    .map(b -> CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(go);
                        return token(b);
                    }))
                    .toList();
            go.countDown();

            for (CompletableFuture<Optional<String>> answer : asked) {
                assertThat(answer.get()).hasValue(NEXT_TOKEN);
            }
            assertThat(Installs.refreshes(bot)).hasSize(1);
        }
    }

    @Test
    void aFailedRefreshLogsWhyAndKeepsTheCurrentTokenUntilItExpires() {
        try (TestBot bot = installedWithRotation();
                LogCapture logs = LogCapture.capture()) {
            Installs.answerRefresh(bot, okJson("{\"ok\": false, \"error\": \"invalid_refresh_token\"}"));
            expiresIn(bot, "5 minutes");

            assertThat(token(bot)).hasValue(FIRST_TOKEN);
            assertThat(
                            logs.linesContaining(
                                    "refreshing the bot token of T9TK3CUKW failed: oauth.v2.access answered invalid_refresh_token"))
                    .isNotEmpty();
            // Tried again after a minute, not on every call.
            assertThat(token(bot)).hasValue(FIRST_TOKEN);
            assertThat(Installs.refreshes(bot)).hasSize(1);
        }
    }

    @Test
    void slackDownDuringARefreshKeepsTheCurrentTokenAndAnExpiredOneIsNotUsed() {
        try (TestBot bot = installedWithRotation();
                LogCapture logs = LogCapture.capture()) {
            Installs.answerRefresh(bot, aResponse().withStatus(500).withBody("{\"ok\": false}"));
            expiresIn(bot, "5 minutes");

            assertThat(token(bot)).hasValue(FIRST_TOKEN);
            assertThat(logs.linesContaining("oauth.v2.access answered HTTP 500"))
                    .isNotEmpty();

            // Expired, and the next try (a minute on) fails as well: no token rather than a dead one.
            bot.db()
                    .useHandle(h -> h.execute("update slack_installation set bot_token_expires_at = now() - interval"
                            + " '1 minute', refresh_claimed_until = null"));
            assertThat(token(bot)).isEmpty();
            assertThat(logs.linesContaining("expired at")).isNotEmpty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
