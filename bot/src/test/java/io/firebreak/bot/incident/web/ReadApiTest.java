package io.firebreak.bot.incident.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadApiTest {
    static TestBot bot;

    @BeforeAll
    static void start() {
        bot = TestBot.start();
        bot.command("open high Refund agent sent wrong refunds");
        bot.command("open critical Agent deleting customer records");
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void requestsWithoutTheRightBearerTokenGet401() {
        HttpResponse<String> none = bot.get("/api/incidents", Optional.empty());
        HttpResponse<String> wrong = bot.get("/api/incidents", Optional.of("test-api-token-0123456780"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"firebreak\"");
        assertThat(bot.json(wrong).path("error").asText()).isEqualTo("missing or wrong bearer token");
    }

    @Test
    void listsOpenIncidentsMostSevereFirst() {
        JsonNode body = bot.json(bot.api("/api/incidents"));

        assertThat(body.path("incidents")).hasSize(2);
        assertThat(body.path("incidents").get(0).path("key").asText()).isEqualTo("INC-2");
        assertThat(body.path("incidents").get(0).path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(body.path("incidents").get(1).path("title").asText()).isEqualTo("Refund agent sent wrong refunds");
    }

    @Test
    void showsAnIncidentWithItsTimelineAndHashes() {
        HttpResponse<String> response = bot.api("/api/incidents/INC-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("application/json");
        JsonNode body = bot.json(response);
        assertThat(body.path("key").asText()).isEqualTo("INC-1");
        assertThat(body.path("phase").asText()).isEqualTo("DETECTED");
        assertThat(body.path("commander").asText()).isEqualTo(TestBot.USER);
        JsonNode event = body.path("timeline").get(0);
        assertThat(event.path("seq").asInt()).isEqualTo(1);
        assertThat(event.path("kind").asText()).isEqualTo("opened");
        assertThat(event.path("prev_hash").asText()).isEqualTo("0".repeat(64));
        assertThat(event.path("hash").asText()).matches("[0-9a-f]{64}");
        assertThat(event.path("details").path("title").asText()).isEqualTo("Refund agent sent wrong refunds");
    }

    @Test
    void unknownAndMalformedKeysAre404WithAMessage() {
        HttpResponse<String> unknown = bot.api("/api/incidents/INC-999");
        HttpResponse<String> malformed = bot.api("/api/incidents/refunds");
        HttpResponse<String> verifyUnknown = bot.api("/api/incidents/INC-999/timeline/verify");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(bot.json(unknown).path("error").asText()).isEqualTo("no incident INC-999");
        assertThat(malformed.statusCode()).isEqualTo(404);
        assertThat(bot.json(malformed).path("error").asText()).contains("not an incident key");
        assertThat(verifyUnknown.statusCode()).isEqualTo(404);
    }

    @Test
    void verifyReportsAnIntactChain() {
        JsonNode body = bot.json(bot.api("/api/incidents/INC-2/timeline/verify"));

        assertThat(body.path("ok").asBoolean()).isTrue();
        assertThat(body.path("events").asInt()).isEqualTo(1);
        assertThat(body.has("first_broken")).isFalse();
    }

    @Test
    void verifyDetectsARowInsertedBehindTheBotsBack() {
        bot.command("open low Tampered with");
        long id = bot.count("select max(id) from incident");
        bot.db().useHandle(h -> h.execute("""
                insert into timeline_event (incident_id, seq, at, actor, kind, details, prev_hash, hash)
                select incident_id, 2, now(), 'U0MALLORY', 'note', '{"text":"all fine"}', hash, repeat('a', 64)
                from timeline_event where incident_id = ? and seq = 1""", id));

        JsonNode body = bot.json(bot.api("/api/incidents/INC-" + id + "/timeline/verify"));

        assertThat(body.path("ok").asBoolean()).isFalse();
        assertThat(body.path("events").asInt()).isEqualTo(2);
        assertThat(body.path("first_broken").path("seq").asInt()).isEqualTo(2);
        assertThat(body.path("first_broken").path("reason").asText()).contains("hash does not match");
    }

    @Test
    void apiAnswers401ToEveryoneWhenNoTokenIsConfigured() {
        Map<String, String> env = new HashMap<>();
        env.put("FIREBREAK_API_TOKEN", null);
        try (TestBot closed = TestBot.start(env)) {
            HttpResponse<String> response = closed.get("/api/incidents", Optional.of(TestBot.API_TOKEN));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(closed.json(response).path("error").asText()).contains("set FIREBREAK_API_TOKEN");
        }
    }
}
