package io.firebreak.bot.paging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /webhooks/pagerduty} with PagerDuty's v3 deliveries (zulip's captured fixtures, given the Firebreak
 * incident key that PagerDuty's {@code incident_key} carries for an alert Firebreak raised), signed as PagerDuty signs.
 */
class PagerDutyWebhookTest {
    final PagerDutyStub pagerDuty = new PagerDutyStub();
    final ObjectMapper mapper = new ObjectMapper();
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(pagerDuty.env());
        bot.command("open high Refund agent sent wrong refunds");
        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
    }

    @AfterEach
    void stop() {
        bot.close();
        pagerDuty.close();
    }

    /** The fixture {@code name}, its alert given {@code incidentKey} as PagerDuty's {@code incident_key}. */
    private String delivery(String name, String incidentKey) throws Exception {
        ObjectNode root = (ObjectNode) mapper.readTree(PagerDutyStub.reference(name));
        ((ObjectNode) root.path("event").path("data")).put("incident_key", incidentKey);
        return mapper.writeValueAsString(root);
    }

    private HttpResponse<String> post(String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(bot.uri("/webhooks/pagerduty"))
                .header("Content-Type", "application/json")
                .header("User-Agent", "PagerDuty-Webhook/V3.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-PagerDuty-Signature", signature);
        }
        return bot.send(request.build());
    }

    private static String sign(String body) {
        return WebhookSignature.sign(new Secret(PagerDutyStub.WEBHOOK_SECRET), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAcknowledgementReachesTheTimelineAndTheThreadOnce() throws Exception {
        String body = delivery("zulip_incident.acknowledged_v3.json", "INC-1");

        HttpResponse<String> answer = post(body, sign(body));

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(bot.json(answer).path("incident").asText()).isEqualTo("INC-1");
        assertThat(bot.string("select details->>'text' from timeline_event where kind = 'pagerduty_acknowledged'"))
                .isEqualTo("acknowledged in PagerDuty by PIG 208");
        assertThat(bot.string("select actor from timeline_event where kind = 'pagerduty_acknowledged'"))
                .isEqualTo("pagerduty");
        assertThat(bot.slack()
                        .awaitCall(
                                "chat.postMessage",
                                c -> c.getOrDefault("text", "").contains("PagerDuty by"))
                        .get("text"))
                .isEqualTo(":pager: Acknowledged in PagerDuty by PIG 208.");

        HttpResponse<String> again = post(body, sign(body));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(bot.json(again).path("status").asText()).isEqualTo("duplicate");
        assertThat(bot.count("select count(*) from timeline_event where kind = 'pagerduty_acknowledged'"))
                .isEqualTo(1);
    }

    @Test
    void aResolveInPagerDutyIsRecordedButDoesNotResolveTheIncident() throws Exception {
        String body = delivery("zulip_incident.resolved_v3.json", "INC-1");

        assertThat(post(body, sign(body)).statusCode()).isEqualTo(202);

        assertThat(bot.string("select details->>'text' from timeline_event where kind = 'pagerduty_resolved'"))
                .startsWith("resolved in PagerDuty");
        assertThat(bot.string("select phase from incident where id = 1")).isEqualTo("DETECTED");
    }

    @Test
    void anyOfSeveralSignaturesMayMatchWhileASecretIsRotated() throws Exception {
        String body = delivery("zulip_incident.acknowledged_v3.json", "INC-1");
        String other = WebhookSignature.sign(
                new Secret("an-older-secret-no-longer-configured"), body.getBytes(StandardCharsets.UTF_8));

        assertThat(post(body, other + ", " + sign(body)).statusCode()).isEqualTo(202);
    }

    @Test
    void aBadOrMissingSignatureIsRefusedAndNothingIsStored() throws Exception {
        String body = delivery("zulip_incident.acknowledged_v3.json", "INC-1");
        String tampered = body.replace("PIG 208", "Mallory");

        HttpResponse<String> wrong = post(tampered, sign(body));
        HttpResponse<String> missing = post(body, null);
        HttpResponse<String> garbage = post(body, "v1=nothex");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(bot.json(wrong).path("error").asText()).contains("X-PagerDuty-Signature");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(bot.count("select count(*) from pagerduty_webhook_event")).isZero();
        assertThat(bot.count("select count(*) from timeline_event where kind like 'pagerduty_%'"))
                .isZero();
    }

    @Test
    void eventsAboutOtherAlertsAreAnsweredSoPagerDutyKeepsTheSubscription() throws Exception {
        String unknown = delivery("zulip_incident.acknowledged_v3.json", "INC-999");
        String foreign = PagerDutyStub.reference("zulip_incident.acknowledged_v3.json");

        HttpResponse<String> a = post(unknown, sign(unknown));
        HttpResponse<String> b = post(foreign, sign(foreign).toUpperCase().replace("V1=", "v1="));

        assertThat(a.statusCode()).isEqualTo(202);
        assertThat(bot.json(a).path("status").asText()).isEqualTo("ignored");
        assertThat(bot.json(a).path("reason").asText()).isEqualTo("there is no incident INC-999 in Firebreak");
        // The same event id as the first: a redelivery, signed with upper-case hex, which is accepted too.
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(bot.count("select count(*) from timeline_event where kind like 'pagerduty_%'"))
                .isZero();
    }

    @Test
    void malformedAndOversizeBodiesGetClearErrors() {
        String notJson = "{\"event\": ";
        String noEvent = "{\"messages\": []}";
        String huge = "{\"event\": {\"id\": \"x\", \"pad\": \"" + "a".repeat(300 * 1024) + "\"}}";

        HttpResponse<String> a = post(notJson, sign(notJson));
        HttpResponse<String> b = post(noEvent, sign(noEvent));
        HttpResponse<String> c = post(huge, sign(huge));

        assertThat(a.statusCode()).isEqualTo(400);
        assertThat(bot.json(a).path("error").asText()).isEqualTo("the body is not JSON");
        assertThat(b.statusCode()).isEqualTo(400);
        assertThat(bot.json(b).path("error").asText()).contains("expected a v3 webhook");
        assertThat(c.statusCode()).isEqualTo(413);
        assertThat(bot.count("select count(*) from pagerduty_webhook_event")).isZero();
    }

    @Test
    void withoutSecretsWebhooksAreOff() {
        bot.close();
        bot = TestBot.start(Map.of());
        String body = "{}";

        HttpResponse<String> answer = post(body, sign(body));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(bot.json(answer).path("error").asText()).contains("set PAGERDUTY_WEBHOOK_SECRETS");
    }
}
