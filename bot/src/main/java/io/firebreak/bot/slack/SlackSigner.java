package io.firebreak.bot.slack;

import io.firebreak.bot.config.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Signs a request body the way Slack does: {@code v0=} + hex HMAC-SHA256 of {@code "v0:" + timestamp + ":" + body},
 * keyed with the signing secret. Used by the local {@code slack} client; Bolt does the verifying.
 */
public final class SlackSigner {
    private final Secret signingSecret;

    public SlackSigner(Secret signingSecret) {
        this.signingSecret = signingSecret;
    }

    /** The {@code X-Slack-Signature} value for {@code body} sent at {@code timestamp} (Unix seconds). */
    public String sign(long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
