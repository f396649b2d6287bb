package io.firebreak.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Anything not signed by Slack within 5 minutes of now, either side, gets 401 before its body is parsed. */
class SignatureBeforeParsingTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static TestBot bot;

    @BeforeAll
    static void start() {
        bot = TestBot.start();
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    private static String openCommand() {
        return Fixtures.slashCommand(
                "/incident", "open high Refund agent sent wrong refunds", TestBot.USER, TestBot.CHANNEL);
    }

    @Test
    void aTimestampTenYearsInTheFutureIsRefusedEvenWithAValidSignature() {
        long inTenYears = System.currentTimeMillis() / 1000 + 10L * 365 * 24 * 3600;
        String body = openCommand();

        HttpResponse<String> response = bot.postToSlackEvents(
                body, FORM, inTenYears, new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(inTenYears, body));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(bot.count("select count(*) from incident")).isZero();
    }

    @Test
    void aTimestampSixMinutesAheadIsRefused() {
        long ahead = System.currentTimeMillis() / 1000 + 6 * 60;
        String body = openCommand();

        HttpResponse<String> response = bot.postToSlackEvents(
                body, FORM, ahead, new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(ahead, body));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(bot.count("select count(*) from incident")).isZero();
    }

    @Test
    void aMalformedUnsignedPayloadGets401Not400() {
        long now = System.currentTimeMillis() / 1000;
        String malformed = "payload=" + Fixtures.encode("{\"type\":\"block_actions\",\"actions\":[{");

        HttpResponse<String> wronglySigned = bot.postToSlackEvents(malformed, FORM, now, "v0=" + "0".repeat(64));
        HttpResponse<String> unsigned = bot.send(java.net.http.HttpRequest.newBuilder(bot.uri("/slack/events"))
                .header("Content-Type", FORM)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(malformed))
                .build());

        assertThat(wronglySigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).startsWith("{").contains("invalid request");
    }

    @Test
    void aSignedMalformedPayloadStillGetsItsClear400() {
        assertThat(bot.postSigned("payload=" + Fixtures.encode("{\"type\":"), FORM)
                        .statusCode())
                .isEqualTo(400);
    }
}
