package io.firebreak.bot.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * An S3-compatible bucket, with object lock enabled, that every checkpoint is written to as a locked object, so
 * not even the bucket's owner can rewrite or delete it before {@code retention} has passed.
 *
 * @param bucket    {@code FIREBREAK_CHECKPOINT_S3_BUCKET}
 * @param prefix    {@code FIREBREAK_CHECKPOINT_S3_PREFIX} (default {@code checkpoints/}): put before each object key
 * @param region    {@code FIREBREAK_CHECKPOINT_S3_REGION} (default {@code us-east-1})
 * @param endpoint  {@code FIREBREAK_CHECKPOINT_S3_ENDPOINT}: another S3-compatible service (MinIO, R2, Ceph …);
 *                  addressed path-style
 * @param accessKey {@code FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID} and {@code _SECRET_ACCESS_KEY}; without them the
 *                  AWS SDK's default credentials (environment, profile, instance or pod role)
 * @param lockMode  {@code FIREBREAK_CHECKPOINT_S3_LOCK_MODE}: {@code COMPLIANCE} (default; nobody can shorten it)
 *                  or {@code GOVERNANCE}
 * @param retention {@code FIREBREAK_CHECKPOINT_S3_RETENTION_DAYS} (default 400): how long each object is locked
 */
public record CheckpointBucket(
        String bucket,
        String prefix,
        String region,
        Optional<URI> endpoint,
        Optional<Keys> accessKey,
        String lockMode,
        Duration retention) {

    /** A static access key pair. */
    public record Keys(Secret accessKeyId, Secret secretAccessKey) {}

    static Optional<CheckpointBucket> read(Function<String, Optional<String>> get, List<String> problems) {
        Optional<String> bucket = get.apply("FIREBREAK_CHECKPOINT_S3_BUCKET");
        if (bucket.isEmpty()) {
            for (String other : List.of(
                    "FIREBREAK_CHECKPOINT_S3_ENDPOINT",
                    "FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID",
                    "FIREBREAK_CHECKPOINT_S3_SECRET_ACCESS_KEY")) {
                if (get.apply(other).isPresent()) {
                    problems.add(other + " is set but FIREBREAK_CHECKPOINT_S3_BUCKET is not: name the bucket too");
                }
            }
            return Optional.empty();
        }
        if (!bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            problems.add("FIREBREAK_CHECKPOINT_S3_BUCKET must be a bucket name: 3 to 63 lower-case letters, digits,"
                    + " dots and hyphens");
        }
        Optional<URI> endpoint = get.apply("FIREBREAK_CHECKPOINT_S3_ENDPOINT").flatMap(value -> {
            try {
                return Optional.of(ConfigLoader.httpUrl(value));
            } catch (IllegalArgumentException e) {
                problems.add("FIREBREAK_CHECKPOINT_S3_ENDPOINT must be an http:// or https:// URL, such as"
                        + " https://s3.eu-central-1.amazonaws.com or http://minio:9000");
                return Optional.empty();
            }
        });
        Optional<String> id = get.apply("FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID");
        Optional<String> secret = get.apply("FIREBREAK_CHECKPOINT_S3_SECRET_ACCESS_KEY");
        if (id.isPresent() != secret.isPresent()) {
            problems.add("FIREBREAK_CHECKPOINT_S3_ACCESS_KEY_ID and FIREBREAK_CHECKPOINT_S3_SECRET_ACCESS_KEY go"
                    + " together: set both, or neither to use the AWS SDK's default credentials");
        }
        Optional<Keys> keys = id.isPresent() && secret.isPresent()
                ? Optional.of(new Keys(new Secret(id.get()), new Secret(secret.get())))
                : Optional.empty();
        String mode = get.apply("FIREBREAK_CHECKPOINT_S3_LOCK_MODE")
                .map(m -> m.toUpperCase(Locale.ROOT))
                .orElse("COMPLIANCE");
        if (!mode.equals("COMPLIANCE") && !mode.equals("GOVERNANCE")) {
            problems.add("FIREBREAK_CHECKPOINT_S3_LOCK_MODE must be COMPLIANCE or GOVERNANCE");
        }
        int days = 400;
        Optional<String> retention = get.apply("FIREBREAK_CHECKPOINT_S3_RETENTION_DAYS");
        if (retention.isPresent()) {
            try {
                days = Integer.parseInt(retention.get());
                if (days < 1 || days > 36_500) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add("FIREBREAK_CHECKPOINT_S3_RETENTION_DAYS must be a whole number of days from 1 to 36500");
                days = 400;
            }
        }
        return Optional.of(new CheckpointBucket(
                bucket.get(),
                get.apply("FIREBREAK_CHECKPOINT_S3_PREFIX").orElse("checkpoints/"),
                get.apply("FIREBREAK_CHECKPOINT_S3_REGION").orElse("us-east-1"),
                endpoint,
                keys,
                mode,
                Duration.ofDays(days)));
    }
}
