package io.firebreak.bot.slack;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.web.HmacSignature;

/**
 * Signs a request body the way Slack does (version {@code v0}). Used by the local {@code slack} client; Bolt
 * does the verifying.
 */
public final class SlackSigner {
    private final HmacSignature signature;

    public SlackSigner(Secret signingSecret) {
        this.signature = new HmacSignature(signingSecret, "v0");
    }

    /** The {@code X-Slack-Signature} value for {@code body} sent at {@code timestamp} (Unix seconds). */
    public String sign(long timestamp, String body) {
        return signature.sign(timestamp, body);
    }
}
