package io.firebreak.bot.web;

import io.firebreak.bot.platform.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Request signatures in Slack's style: {@code <version>=} + hex HMAC-SHA256 of
 * {@code "<version>:" + timestamp + ":" + body}, with a freshness window against replays. Slack uses version
 * {@code v0}; Firebreak's report forms use {@code v1}.
 */
public final class HmacSignature {
    private final Secret secret;
    private final String version;

    public HmacSignature(Secret secret, String version) {
        this.secret = secret;
        this.version = version;
    }

    /** The signature header value for {@code body} sent at {@code timestamp} (Unix seconds). */
    public String sign(long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((version + ":" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return version + "=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /**
     * True when {@code signature} signs {@code body} at {@code timestampHeader} and that time is within
     * {@code window} of {@code now} (either side). Compares in constant time.
     */
    public boolean verify(String timestampHeader, String body, String signature, Instant now, Duration window) {
        if (timestampHeader == null || signature == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > window.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(
                sign(timestamp, body).getBytes(StandardCharsets.UTF_8),
                signature.trim().getBytes(StandardCharsets.UTF_8));
    }
}
