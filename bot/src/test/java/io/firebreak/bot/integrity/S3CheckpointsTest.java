package io.firebreak.bot.integrity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.firebreak.bot.platform.signing.SigningKey;
import io.firebreak.bot.testing.TestBot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints published to an S3-compatible bucket (WireMock standing in for S3): each one PUT once, under object
 * lock until its retention ends, byte for byte the checkpoint file; while S3 is down the durable job keeps trying and
 * the checkpoint arrives once it is back.
 */
class S3CheckpointsTest {
    static final String BUCKET = "firebreak-audit";
    static final String OBJECT = "/" + BUCKET + "/records/checkpoint-000001.json";

    WireMockServer s3;
    Path dir;
    TestBot bot;

    @BeforeEach
    void start() throws Exception {
        s3 = new WireMockServer(wireMockConfig().dynamicPort());
        s3.start();
        dir = Files.createTempDirectory("firebreak-s3");
        Path key = Files.writeString(
                dir.resolve("signing.pem"), SigningKey.generate().toPem());
        bot = TestBot.start(Map.of(
                "FIREBREAK_SIGNING_KEY", key.toString(),
                "FIREBREAK_CHECKPOINT_DIR", dir.resolve("published").toString(),
                "FIREBREAK_CHECKPOINT_INTERVAL", "PT1H",
                "FIREBREAK_CHECKPOINT_S3_BUCKET", BUCKET,
                "FIREBREAK_CHECKPOINT_S3_PREFIX", "records/",
                "FIREBREAK_CHECKPOINT_S3_ENDPOINT", s3.baseUrl(),
                "FIREBREAK_CHECKPOINT_S3_REGION", "eu-central-1",
                "FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID", "test-s3-access-key-id",
                "FIREBREAK_CHECKPOINT_S3_SECRET_ACCESS_KEY", "test-s3-secret-access-key",
                "FIREBREAK_CHECKPOINT_S3_RETENTION_DAYS", "30"));
    }

    @AfterEach
    void stop() {
        bot.close();
        s3.stop();
    }

    private void checkpointByAPhaseChange() {
        bot.command("open high Refund agent refunds the wrong customer");
        bot.command("status INC-1 investigating");
    }

    @Test
    void eachCheckpointIsPutOnceUnderObjectLockAsTheFileHoldsIt() throws Exception {
        s3.stubFor(put(urlPathEqualTo(OBJECT))
                .willReturn(aResponse().withStatus(200).withHeader("x-amz-version-id", "v-1")));
        Instant before = Instant.now();

        checkpointByAPhaseChange();
        bot.awaitCount(1, "select count(*) from checkpoint_publication where checkpoint = 1 and target = 's3'");

        List<LoggedRequest> puts = s3.findAll(putRequestedFor(urlPathEqualTo(OBJECT)));
        assertThat(puts).hasSize(1);
        LoggedRequest request = puts.get(0);
        String file = Files.readString(dir.resolve("published/checkpoint-000001.json"), StandardCharsets.UTF_8);
        assertThat(request.getBodyAsString()).contains(file.strip());
        assertThat(request.getHeader("x-amz-object-lock-mode")).isEqualTo("COMPLIANCE");
        Instant until = Instant.parse(request.getHeader("x-amz-object-lock-retain-until-date"));
        assertThat(until)
                .isBetween(
                        before.plus(Duration.ofDays(30)).minusSeconds(5),
                        Instant.now().plus(Duration.ofDays(30)));
        assertThat(request.getHeader("If-None-Match")).isEqualTo("*");
        assertThat(request.getHeader("Authorization"))
                .contains("Credential=test-s3-access-key-id/")
                .contains("/eu-central-1/s3/aws4_request");
        assertThat(bot.string("select reference from checkpoint_publication where checkpoint = 1 and target = 's3'"))
                .startsWith("s3://" + BUCKET + "/records/checkpoint-000001.json?versionId=v-1 locked until ");
    }

    @Test
    void whileS3IsDownTheJobKeepsTryingAndTheCheckpointArrivesWhenItIsBack() {
        s3.stubFor(put(urlPathEqualTo(OBJECT))
                .inScenario("S3 down")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("<Error><Code>SlowDown</Code></Error>"))
                .willSetStateTo("down"));
        s3.stubFor(put(urlPathEqualTo(OBJECT))
                .inScenario("S3 down")
                .whenScenarioStateIs("down")
                .willReturn(aResponse().withStatus(503).withBody("<Error><Code>ServiceUnavailable</Code></Error>")));

        checkpointByAPhaseChange();
        bot.awaitCount(1, "select count(*) from checkpoint_publication where checkpoint = 1 and target = 'file'");
        Instant deadline = Instant.now().plusSeconds(30);
        while (s3.findAll(putRequestedFor(urlPathEqualTo(OBJECT))).size() < 2
                && Instant.now().isBefore(deadline)) {
            sleep();
        }
        assertThat(s3.findAll(putRequestedFor(urlPathEqualTo(OBJECT)))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bot.count("select count(*) from checkpoint_publication where target = 's3'"))
                .isZero();

        s3.resetMappings(); // S3 is back
        s3.stubFor(put(urlPathEqualTo(OBJECT)).willReturn(aResponse().withStatus(200)));

        // The publish job asked to be run again a few seconds later; give a busy machine time for it.
        Instant back = Instant.now().plusSeconds(40);
        while (bot.count("select count(*) from checkpoint_publication where target = 's3'") == 0
                && Instant.now().isBefore(back)) {
            sleep();
        }
        assertThat(bot.string("select reference from checkpoint_publication where checkpoint = 1 and target = 's3'"))
                .startsWith("s3://" + BUCKET + "/records/checkpoint-000001.json");
        assertThat(bot.count("select count(*) from record_checkpoint")).isEqualTo(1);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
