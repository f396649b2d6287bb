package io.firebreak.bot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.access.ApiToken;
import io.firebreak.bot.testing.TestBot;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read API's scoped tokens, decided by the same policy as Slack: each token reads only what its scopes allow. */
class ApiAccessTest {
    private static final String DASHBOARD = "dashboard-token-0123456789";
    private static final String FORENSICS = "forensics-token-9876543210";

    private TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(Map.of(
                "FIREBREAK_API_TOKENS",
                "dashboard:" + ApiToken.hash(DASHBOARD) + ":incidents:read;\n" + "forensics:" + ApiToken.hash(FORENSICS)
                        + ":incidents:read,evidence:read,private:read"));
        assertThat(bot.text(bot.command("open high Refund agent sent wrong refunds")))
                .contains("Opened");
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    private HttpResponse<String> get(String path, String token) {
        return bot.get(path, Optional.of(token));
    }

    @Test
    void aDashboardTokenReadsIncidentsButNotRunEvidence() {
        assertThat(get("/api/incidents", DASHBOARD).statusCode()).isEqualTo(200);
        assertThat(bot.json(get("/api/incidents/INC-1", DASHBOARD))
                        .path("title")
                        .asText())
                .isEqualTo("Refund agent sent wrong refunds");
        assertThat(get("/api/incidents/INC-1/timeline/verify", DASHBOARD).statusCode())
                .isEqualTo(200);

        HttpResponse<String> runs = get("/api/incidents/INC-1/runs", DASHBOARD);
        HttpResponse<String> cases = get("/api/regression-cases.jsonl", DASHBOARD);

        assertThat(runs.statusCode()).isEqualTo(403);
        assertThat(bot.json(runs).path("error").asText())
                .isEqualTo(
                        "This token may not read run evidence: it needs the evidence:read scope in FIREBREAK_API_TOKENS.");
        assertThat(cases.statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenWithTheEvidenceScopeReadsRuns() {
        assertThat(get("/api/incidents/INC-1/runs", FORENSICS).statusCode()).isEqualTo(200);
        assertThat(get("/api/incidents/INC-1", FORENSICS).statusCode()).isEqualTo(200);
    }

    @Test
    void theSingleFirebreakApiTokenStillReadsIncidentsAndEvidence() {
        assertThat(bot.api("/api/incidents/INC-1").statusCode()).isEqualTo(200);
        assertThat(bot.api("/api/incidents/INC-1/runs").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyTheTokenItselfOpensTheApiNotItsHashNorAnotherValue() {
        HttpResponse<String> byHash = get("/api/incidents", ApiToken.hash(DASHBOARD));
        HttpResponse<String> wrong = get("/api/incidents", DASHBOARD + "x");
        HttpResponse<String> none = bot.get("/api/incidents", Optional.empty());

        assertThat(byHash.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(bot.json(wrong).path("error").asText()).isEqualTo("missing or wrong bearer token");
    }
}
