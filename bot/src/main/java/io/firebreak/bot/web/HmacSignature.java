package io.firebreak.bot.web;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.signing.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

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
        return version + "="
                + Hmac.sha256Hex(
                        secret.value(), (version + ":" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
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
