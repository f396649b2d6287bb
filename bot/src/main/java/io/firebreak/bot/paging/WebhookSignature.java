package io.firebreak.bot.paging;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.signing.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * PagerDuty's webhook v3 signature: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]}, each the lower-case hex
 * HMAC-SHA256 of the raw body with a subscription's secret (several while a secret is rotated). Valid when any
 * {@code v1} value matches any configured secret, compared in constant time.
 */
public final class WebhookSignature {
    private final List<Secret> secrets;

    public WebhookSignature(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** True when at least one secret is configured. */
    public boolean configured() {
        return !secrets.isEmpty();
    }

    /** The header value PagerDuty would send for {@code body} signed with {@code secret}. */
    public static String sign(Secret secret, byte[] body) {
        return "v1=" + Hmac.sha256Hex(secret.value(), body);
    }

    /** True when {@code header} carries a {@code v1} signature of {@code body} by one of the secrets. */
    public boolean verify(byte[] body, String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        boolean ok = false;
        for (Secret secret : secrets) {
            byte[] expected = Hmac.sha256Hex(secret.value(), body).getBytes(StandardCharsets.US_ASCII);
            for (String part : header.split(",")) {
                String value = part.strip();
                if (value.startsWith("v1=")) {
                    // Every candidate is compared, so the time taken says nothing about which one matched.
                    ok |= MessageDigest.isEqual(
                            expected, value.substring(3).toLowerCase().getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        return ok;
    }
}
