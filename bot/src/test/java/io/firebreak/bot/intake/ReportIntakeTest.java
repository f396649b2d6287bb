package io.firebreak.bot.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.Await;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.bot.web.HmacSignature;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /reports end to end: signatures, limits, triage, and Slack being down. */
class ReportIntakeTest {
    static final String REFUND = """
            {"description": "The support agent told me my refund of €240 was sent, but I got €2.40.\\nOrder 5531.",
             "reporter": "dana@example.com", "run_id": "run-7f3a", "source": "langfuse", "workflow": "refunds",
             "occurred_at": "2026-11-24T09:15:00Z", "customer_ref": "C-991", "severity_hint": "high", "form": "support-widget"}""";
    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(Map.of(
                "FIREBREAK_INTAKE_SECRET",
                TestBot.INTAKE_SECRET,
                "FIREBREAK_TRIAGE_CHANNEL",
                "C0TRIAGE01",
                "FIREBREAK_INTAKE_RATE_PER_MINUTE",
                "5"));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private void assertNothingStored() {
        assertThat(bot.count("select count(*) from report")).isZero();
        assertThat(bot.count("select count(*) from incident")).isZero();
    }

    @Test
    void aSignedReportIsStoredBeforeTheAnswerAndOpensAnUnassessedIncidentInTriage() {
        HttpResponse<String> response = bot.report(REFUND);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = bot.json(response);
        assertThat(body.path("report").asText()).isEqualTo("RPT-1");
        assertThat(body.path("incident").asText()).isEqualTo("INC-1");
        assertThat(body.path("joined_existing").asBoolean()).isFalse();
        Map<String, Object> incident = bot.db()
                .withHandle(h -> h.select("select * from incident where id = 1")
                        .mapToMap()
                        .one());
        assertThat(incident)
                .containsEntry("source", "report")
                .containsEntry("phase", "DETECTED")
                .containsEntry("commander", "unassigned")
                .containsEntry("reporter", "dana@example.com")
                .containsEntry("origin_channel", "C0TRIAGE01");
        assertThat(incident.get("severity")).isNull();
        assertThat((String) incident.get("title"))
                .isEqualTo("The support agent told me my refund of €240 was sent, but I got €2.40.");
        Map<String, Object> report = bot.db()
                .withHandle(h -> h.select("select * from report").mapToMap().one());
        assertThat(report)
                .containsEntry("run_id", "run-7f3a")
                .containsEntry("workflow", "refunds")
                .containsEntry("customer_ref", "C-991")
                .containsEntry("severity_hint", "HIGH")
                .containsEntry("form", "support-widget");

        var posts = bot.slack().awaitCalls("chat.postMessage", 2);
        assertThat(posts.get(0).get("channel")).isEqualTo("C0TRIAGE01");
        assertThat(posts.get(0).get("blocks")).contains("incident_assess").contains("not assessed");
        assertThat(posts.get(1).get("thread_ts")).isEqualTo("1503435956.000247");
        assertThat(posts.get(1).get("text"))
                .contains("User report RPT-1")
                .contains("dana@example.com")
                .contains("run `run-7f3a`")
                .contains("suggests *high*")
                .contains("never sets the severity");
    }

    @Test
    void reportsAboutTheSameRunJoinOneIncident() {
        bot.report(REFUND);
        JsonNode second = bot.json(bot.report(REFUND.replace("dana@example.com", "lee@example.com")));

        assertThat(second.path("incident").asText()).isEqualTo("INC-1");
        assertThat(second.path("joined_existing").asBoolean()).isTrue();
        assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
        assertThat(bot.count("select count(*) from report where incident_id = 1"))
                .isEqualTo(2);
        assertThat(bot.count("select count(*) from timeline_event where kind = 'report_received'"))
                .isEqualTo(2);
    }

    @Test
    void aReportAboutARecentWorkflowJoinsItsIncidentAndAnOldOneOpensANewIncident() throws Exception {
        try (TestBot quick = TestBot.start(
                Map.of("FIREBREAK_INTAKE_SECRET", TestBot.INTAKE_SECRET, "FIREBREAK_TRIAGE_WINDOW", "PT1S"))) {
            quick.report("{\"description\":\"wrong refund\",\"workflow\":\"refunds\",\"form\":\"f\"}");
            JsonNode joined = quick.json(
                    quick.report("{\"description\":\"also wrong\",\"workflow\":\"refunds\",\"form\":\"f\"}"));
            Instant last = quick.db()
                    .withHandle(h -> h.select("select max(received_at) from report")
                            .mapTo(Instant.class)
                            .one());
            Await.until(
                    "the triage window after the last report to pass",
                    () -> Instant.now().isAfter(last.plusSeconds(1)));
            JsonNode fresh = quick.json(
                    quick.report("{\"description\":\"wrong again\",\"workflow\":\"refunds\",\"form\":\"f\"}"));

            assertThat(joined.path("incident").asText()).isEqualTo("INC-1");
            assertThat(fresh.path("incident").asText()).isEqualTo("INC-2");
        }
    }

    @Test
    void unsignedForgedAndStaleReportsAre401AndStoreNothing() {
        long now = System.currentTimeMillis() / 1000;
        HmacSignature right = new HmacSignature(new Secret(TestBot.INTAKE_SECRET), "v1");
        HmacSignature wrong = new HmacSignature(new Secret("another-secret-entirely-000"), "v1");

        assertThat(bot.report(REFUND, null, null).statusCode()).isEqualTo(401);
        assertThat(bot.report(REFUND, String.valueOf(now), wrong.sign(now, REFUND))
                        .statusCode())
                .isEqualTo(401);
        assertThat(bot.report(REFUND, String.valueOf(now - 360), right.sign(now - 360, REFUND))
                        .statusCode())
                .isEqualTo(401);
        assertThat(bot.report(
                                REFUND,
                                String.valueOf(now),
                                right.sign(now, REFUND).replace("v1=", "v0="))
                        .statusCode())
                .isEqualTo(401);
        assertThat(bot.report(REFUND.replace("€240", "€2400"), String.valueOf(now), right.sign(now, REFUND))
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> stale = bot.report(REFUND, String.valueOf(now - 360), right.sign(now - 360, REFUND));
        assertThat(bot.json(stale).path("error").asText()).contains("X-Firebreak-Signature");
        assertNothingStored();
    }

    @Test
    void oversizeBodiesAre413() {
        String big = "{\"description\":\"" + "x".repeat(70 * 1024) + "\"}";

        HttpResponse<String> response = bot.report(big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(bot.json(response).path("error").asText()).contains("64 KB");
        assertNothingStored();
    }

    @Test
    void malformedReportsAre400NamingTheFieldAndTheProblem() {
        JsonNode notJson = bot.json(bot.report("description=refund"));
        JsonNode noDescription = bot.json(bot.report("{\"reporter\":\"dana@example.com\"}"));
        JsonNode wrongType = bot.json(bot.report("{\"description\": 42, \"run_id\": [\"a\"]}"));
        JsonNode badHint = bot.json(
                bot.report("{\"description\":\"x\",\"severity_hint\":\"urgent\",\"occurred_at\":\"yesterday\"}"));
        JsonNode unknown = bot.json(bot.report("{\"description\":\"x\",\"priority\":\"p1\"}"));

        assertThat(bot.report("[]").statusCode()).isEqualTo(400);
        assertThat(notJson.path("error").asText()).contains("not valid JSON");
        assertThat(noDescription.path("problems").get(0).path("field").asText()).isEqualTo("description");
        assertThat(noDescription.path("problems").get(0).path("problem").asText())
                .contains("required");
        assertThat(wrongType.path("problems").toString())
                .contains("\"field\":\"description\"")
                .contains("must be a string, not number")
                .contains("\"field\":\"run_id\"")
                .contains("not array");
        assertThat(badHint.path("problems").toString())
                .contains("severity_hint")
                .contains("occurred_at")
                .contains("ISO-8601");
        assertThat(unknown.path("problems").get(0).path("field").asText()).isEqualTo("priority");
        assertNothingStored();
    }

    @Test
    void eachFormIsRateLimitedWithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            assertThat(bot.report("{\"description\":\"report " + i + "\",\"form\":\"chatty\"}")
                            .statusCode())
                    .isEqualTo(202);
        }

        HttpResponse<String> limited = bot.report("{\"description\":\"one too many\",\"form\":\"chatty\"}");
        HttpResponse<String> otherForm = bot.report("{\"description\":\"different form\",\"form\":\"quiet\"}");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1, 61);
        assertThat(bot.json(limited).path("error").asText()).contains("chatty");
        assertThat(otherForm.statusCode()).isEqualTo(202);
        assertThat(bot.count("select count(*) from report")).isEqualTo(6);
    }

    @Test
    void pastRateWindowsAreForgottenSoTheCountsDoNotGrowForEver() {
        long planted = bot.count(
                "with old as (insert into intake_rate (form, window_start, requests)"
                        + " select 'form-' || n, now() - interval '2 hours', 3 from generate_series(1, 40) n returning 1) select count(*) from old");

        assertThat(bot.report("{\"description\":\"a report\",\"form\":\"web\"}").statusCode())
                .isEqualTo(202);

        assertThat(planted).isEqualTo(40);
        assertThat(bot.count("select count(*) from intake_rate where window_start < now() - interval '1 hour'"))
                .isZero();
        // The form's count and the count of all forms together, this minute's only.
        assertThat(bot.string("select string_agg(form, ',' order by form) from intake_rate"))
                .isEqualTo(" all forms,web");
    }

    @Test
    void intakeIsOffWithoutASecret() {
        Map<String, String> env = new HashMap<>();
        env.put("FIREBREAK_INTAKE_SECRET", null);
        try (TestBot closed = TestBot.start(env)) {
            HttpResponse<String> response = closed.report(REFUND);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(closed.json(response).path("error").asText()).contains("set FIREBREAK_INTAKE_SECRET");
        }
    }

    @Test
    void aReportArrivingWhileSlackIsDownIsKeptAndPostedWhenSlackIsBack() {
        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postMessage")
                        .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));

        HttpResponse<String> response = bot.report(REFUND);

        assertThat(response.statusCode()).isEqualTo(202);
        bot.slack().awaitCalls("chat.postMessage", 2);
        assertThat(bot.count("select count(*) from incident where card_ts is null"))
                .isEqualTo(1);

        bot.slack()
                .wiremock()
                .stubFor(post("/api/chat.postMessage")
                        .willReturn(okJson(io.firebreak.bot.testing.SlackApiStub.POST_MESSAGE_OK)));

        bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
        Map<String, String> notice = bot.slack()
                .awaitCall("chat.postMessage", c -> c.getOrDefault("text", "").contains("User report RPT-1"));
        assertThat(notice.get("thread_ts")).isEqualTo("1503435956.000247");
    }
}
