package io.firebreak.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests that must not reach any handler, sent to the real server. None may write anything. */
class SlackRequestVerificationTest {
    static TestBot bot;
    static final String FORM = "application/x-www-form-urlencoded";

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

    private static void assertNothingWritten() {
        assertThat(bot.count("select count(*) from incident")).isZero();
        assertThat(bot.count("select count(*) from timeline_event")).isZero();
        assertThat(bot.slack().calls("chat.postMessage")).isEmpty();
    }

    @Test
    void forgedSignatureIsRejectedWith401() {
        String body = openCommand();
        long now = System.currentTimeMillis() / 1000;
        String forged = new SlackSigner(new Secret("not-the-signing-secret")).sign(now, body);

        HttpResponse<String> response = bot.postToSlackEvents(body, FORM, now, forged);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("invalid request");
        assertNothingWritten();
    }

    @Test
    void bodyChangedAfterSigningIsRejected() {
        String body = openCommand();
        long now = System.currentTimeMillis() / 1000;
        String signature = new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(now, body);

        HttpResponse<String> response =
                bot.postToSlackEvents(body.replace("open+high", "open+low"), FORM, now, signature);

        assertThat(response.statusCode()).isEqualTo(401);
        assertNothingWritten();
    }

    @Test
    void staleTimestampIsRejectedEvenWithAValidSignature() {
        String body = openCommand();
        long sixMinutesAgo = System.currentTimeMillis() / 1000 - 6 * 60;
        String signature = new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(sixMinutesAgo, body);

        HttpResponse<String> response = bot.postToSlackEvents(body, FORM, sixMinutesAgo, signature);

        assertThat(response.statusCode()).isEqualTo(401);
        assertNothingWritten();
    }

    @Test
    void slacksOwnDocumentedRequestIsStaleNow() {
        HttpResponse<String> response = bot.postToSlackEvents(
                Fixtures.read("slack/slash_command_form.txt"),
                FORM,
                1531420618L,
                "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void missingSignatureHeadersAreRejected() {
        var request = java.net.http.HttpRequest.newBuilder(bot.uri("/slack/events"))
                .header("Content-Type", FORM)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(openCommand()))
                .build();

        assertThat(bot.send(request).statusCode()).isEqualTo(401);
        assertNothingWritten();
    }

    @Test
    void oversizeBodyIsRejectedWith413BeforeAnyHandler() {
        String body = openCommand().replace("open+high+Refund", "open+high+" + "A".repeat(2 * 1024 * 1024));

        HttpResponse<String> response = bot.postSigned(body, FORM);

        assertThat(response.statusCode()).isEqualTo(413);
        assertNothingWritten();
    }

    @Test
    void bodyThatIsNotASlackRequestGets400() {
        HttpResponse<String> response = bot.postSigned("hello=world&foo=bar", FORM);

        assertThat(response.statusCode()).isEqualTo(400);
        assertNothingWritten();
    }

    @Test
    void interactivityPayloadThatIsNotJsonGets4xx() {
        HttpResponse<String> response =
                bot.postSigned("payload=" + Fixtures.encode("{\"type\":\"block_actions\",\"actions\":[{"), FORM);

        assertThat(response.statusCode()).isBetween(400, 499);
        assertNothingWritten();
    }

    @Test
    void slashCommandForAnotherCommandIsNotHandled() {
        HttpResponse<String> response =
                bot.postSigned(Fixtures.slashCommand("/weather", "94070", TestBot.USER, TestBot.CHANNEL), FORM);

        assertThat(response.statusCode()).isEqualTo(404);
        assertNothingWritten();
    }

    @Test
    void sslCheckIsAnsweredWithoutASignature() {
        var request = java.net.http.HttpRequest.newBuilder(bot.uri("/slack/events"))
                .header("Content-Type", FORM)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Fixtures.read("slack/ssl_check_form.txt")))
                .build();

        assertThat(bot.send(request).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsGetJson404() {
        HttpResponse<String> response = bot.get("/nope", java.util.Optional.empty());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(bot.json(response).path("error").asText()).contains("/nope");
    }
}
