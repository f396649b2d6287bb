package io.firebreak.bot.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.bot.web.HmacSignature;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A replayed report is answered as the first one was and stores nothing; renaming the form does not lift the limit. */
class ReportReplayAndFloodTest {
    static final String REPORT =
            "{\"description\":\"The refund agent refunded order 1182 twice\",\"reporter\":\"dana@example.com\",\"form\":\"web\"}";

    TestBot bot;

    @BeforeEach
    void start() {
        bot = TestBot.start(
                Map.of("FIREBREAK_INTAKE_SECRET", TestBot.INTAKE_SECRET, "FIREBREAK_INTAKE_RATE_PER_MINUTE", "3"));
    }

    @AfterEach
    void stop() {
        bot.close();
    }

    @Test
    void theSameSignedRequestSentTwiceCreatesOneReport() {
        long now = System.currentTimeMillis() / 1000;
        String signature = new HmacSignature(new Secret(TestBot.INTAKE_SECRET), "v1").sign(now, REPORT);

        HttpResponse<String> first = bot.report(REPORT, String.valueOf(now), signature);
        HttpResponse<String> replayed = bot.report(REPORT, String.valueOf(now), signature);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(replayed.statusCode()).as("answered as the first one was").isEqualTo(202);
        JsonNode a = bot.json(first);
        JsonNode b = bot.json(replayed);
        assertThat(b.path("report").asText()).isEqualTo(a.path("report").asText());
        assertThat(b.path("incident").asText()).isEqualTo(a.path("incident").asText());
        assertThat(bot.count("select count(*) from report")).isEqualTo(1);
        assertThat(bot.count("select count(*) from incident")).isEqualTo(1);
        assertThat(bot.count("select count(*) from timeline_event where kind = 'report_received'"))
                .isEqualTo(1);
    }

    @Test
    void theSameReportSignedAgainLaterIsANewReport() {
        long now = System.currentTimeMillis() / 1000;
        HmacSignature signer = new HmacSignature(new Secret(TestBot.INTAKE_SECRET), "v1");
        assertThat(bot.report(REPORT, String.valueOf(now), signer.sign(now, REPORT))
                        .statusCode())
                .isEqualTo(202);
        assertThat(bot.report(REPORT, String.valueOf(now + 1), signer.sign(now + 1, REPORT))
                        .statusCode())
                .isEqualTo(202);

        assertThat(bot.count("select count(*) from report")).isEqualTo(2);
    }

    @Test
    void changingTheFormNameDoesNotBypassTheLimit() {
        // Rates count per minute: start well inside one.
        long intoMinute = (System.currentTimeMillis() / 1000) % 60;
        if (intoMinute > 45) {
            io.firebreak.bot.testing.SlackApiStub.sleep((61 - intoMinute) * 1000);
        }
        int accepted = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 20; i++) {
            last = bot.report("{\"description\":\"flood " + i + "\",\"form\":\"form-" + i + "\"}");
            if (last.statusCode() == 202) {
                accepted++;
            } else {
                break;
            }
        }

        assertThat(accepted)
                .as("all forms together: four times one form's rate of 3")
                .isEqualTo(12);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(bot.count("select count(*) from report")).isEqualTo(12);
    }
}
