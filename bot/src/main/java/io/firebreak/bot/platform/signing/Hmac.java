package io.firebreak.bot.platform.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, the primitive of every signed request Firebreak checks: Slack's, report forms', alert sources', PagerDuty's. */
public final class Hmac {
    private Hmac() {}

    /** The lower-case hex HMAC-SHA256 of {@code data} under the key {@code secret} (a secret's value: never log it). */
    public static String sha256Hex(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
