package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.config.CheckpointBucket;
import io.firebreak.bot.platform.jobs.RetryLater;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Publishes each checkpoint to an S3-compatible bucket as {@code <prefix>checkpoint-000012.json}, the same
 * document as the checkpoint file, under object lock ({@code COMPLIANCE} by default) until the retention has
 * passed, and only if no object has that name ({@code If-None-Match: *}): so neither the database role nor the
 * bucket's owner can replace or delete a published checkpoint. S3 being down or refusing is retried by the durable
 * publish job for as long as it takes, so no checkpoint is lost.
 */
public final class S3Checkpoints implements CheckpointPublisher {
    /** How long the publish job waits before trying S3 again. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private final S3Client s3;
    private final CheckpointBucket bucket;
    private final ObjectMapper mapper;
    private final Clock clock;

    public S3Checkpoints(CheckpointBucket bucket, ObjectMapper mapper, Clock clock) {
        this.s3 = client(bucket);
        this.bucket = bucket;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The AWS SDK's S3 client on the JDK's URL connection: a few quick retries, then the durable job's. */
    static S3Client client(CheckpointBucket bucket) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .region(Region.of(bucket.region()))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(60)));
        bucket.endpoint().ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
        builder.credentialsProvider(bucket.accessKey()
                .<software.amazon.awssdk.auth.credentials.AwsCredentialsProvider>map(
                        k -> StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                k.accessKeyId().value(), k.secretAccessKey().value())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        return builder.build();
    }

    @Override
    public String target() {
        return "s3";
    }

    /** The object's key for checkpoint {@code number}. */
    String key(long number) {
        return bucket.prefix() + String.format("checkpoint-%06d.json", number);
    }

    @Override
    public String publish(Checkpoint checkpoint) {
        String key = key(checkpoint.number());
        String where = "s3://" + bucket.bucket() + "/" + key;
        byte[] document = checkpoint.toDocument(mapper).getBytes(StandardCharsets.UTF_8);
        Instant until = clock.instant().plus(bucket.retention()).truncatedTo(ChronoUnit.SECONDS);
        try {
            PutObjectResponse put = s3.putObject(
                    PutObjectRequest.builder()
                            .bucket(bucket.bucket())
                            .key(key)
                            .contentType("application/json")
                            .objectLockMode(ObjectLockMode.fromValue(bucket.lockMode()))
                            .objectLockRetainUntilDate(until)
                            .ifNoneMatch("*")
                            .build(),
                    RequestBody.fromBytes(document));
            return where + (put.versionId() == null ? "" : "?versionId=" + put.versionId()) + " locked until " + until;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return alreadyThere(key, where, document, checkpoint.number());
            }
            throw new RetryLater(
                    clock.instant().plus(RETRY),
                    "S3 did not take checkpoint #" + checkpoint.number() + " (HTTP " + e.statusCode() + " "
                            + (e.awsErrorDetails() == null
                                    ? ""
                                    : e.awsErrorDetails().errorCode()) + ")");
        } catch (SdkClientException e) {
            throw new RetryLater(
                    clock.instant().plus(RETRY),
                    "S3 could not be reached for checkpoint #" + checkpoint.number() + " ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The object exists: an earlier attempt stored it without its publication being recorded. The same document
     * counts as published; another one is never overwritten, and says so.
     */
    private String alreadyThere(String key, String where, byte[] document, long number) {
        byte[] there =
                s3.getObjectAsBytes(r -> r.bucket(bucket.bucket()).key(key)).asByteArray();
        if (!Arrays.equals(there, document)) {
            throw new IllegalStateException(
                    where + " already holds another checkpoint #" + number + "; it is left as it is");
        }
        return where + " (already there)";
    }
}
