package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 bucket checkpoints are published to, read from the environment, and the problems named when it is wrong. */
class CheckpointBucketTest {
    @TempDir
    Path dataDir;

    private Map<String, String> env(String... pairs) {
        return Environments.with(dataDir, pairs);
    }

    @Test
    void aBucketAloneTakesTheDefaults() {
        CheckpointBucket bucket = ConfigLoader.load(env("FIREBREAK_CHECKPOINT_S3_BUCKET", "firebreak-audit"))
                .integrity()
                .checkpointBucket()
                .orElseThrow();

        assertThat(bucket.prefix()).isEqualTo("checkpoints/");
        assertThat(bucket.region()).isEqualTo("us-east-1");
        assertThat(bucket.endpoint()).isEmpty();
        assertThat(bucket.accessKey()).isEmpty();
        assertThat(bucket.lockMode()).isEqualTo("COMPLIANCE");
        assertThat(bucket.retention()).isEqualTo(Duration.ofDays(400));
        assertThat(ConfigLoader.load(env()).integrity().checkpointBucket()).isEmpty();
    }

    @Test
    void everyProblemIsNamedWithoutItsValue() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env(
                        "FIREBREAK_CHECKPOINT_S3_BUCKET", "Not_A_Bucket",
                        "FIREBREAK_CHECKPOINT_S3_ENDPOINT", "minio:9000",
                        "FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID", "test-only-half-of-a-pair",
                        "FIREBREAK_CHECKPOINT_S3_LOCK_MODE", "forever",
                        "FIREBREAK_CHECKPOINT_S3_RETENTION_DAYS", "0")));

        assertThat(e.problems())
                .containsExactly(
                        "FIREBREAK_CHECKPOINT_S3_BUCKET must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens",
                        "FIREBREAK_CHECKPOINT_S3_ENDPOINT must be an http:// or https:// URL, such as https://s3.eu-central-1.amazonaws.com or http://minio:9000",
                        "FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID and FIREBREAK_CHECKPOINT_S3_SECRET_ACCESS_KEY go together: set both, or neither to use the AWS SDK's default credentials",
                        "FIREBREAK_CHECKPOINT_S3_LOCK_MODE must be COMPLIANCE or GOVERNANCE",
                        "FIREBREAK_CHECKPOINT_S3_RETENTION_DAYS must be a whole number of days from 1 to 36500");
        assertThat(String.join("\n", e.problems())).doesNotContain("test-only-half-of-a-pair");
    }

    @Test
    void anEndpointWithoutABucketIsAProblem() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(env("FIREBREAK_CHECKPOINT_S3_ENDPOINT", "http://minio:9000")));

        assertThat(e.problems())
                .containsExactly(
                        "FIREBREAK_CHECKPOINT_S3_ENDPOINT is set but FIREBREAK_CHECKPOINT_S3_BUCKET is not: name the bucket too");
        assertThat(ConfigLoader.load(env(
                                "FIREBREAK_CHECKPOINT_S3_BUCKET", "firebreak-audit",
                                "FIREBREAK_CHECKPOINT_S3_ENDPOINT", "http://minio:9000"))
                        .integrity()
                        .checkpointBucket()
                        .orElseThrow()
                        .endpoint())
                .contains(URI.create("http://minio:9000"));
    }
}
