package io.firebreak.bot.signals;

import io.firebreak.bot.platform.config.Secret;
import java.util.Optional;

/** How a source proves a request is its own. Secrets come from the environment and are never logged. */
public sealed interface SourceAuth {

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(Secret token) implements SourceAuth {}

    /**
     * The lower-case hex HMAC-SHA256 of the body, or of {@code "<timestamp>:<body>"} when {@code timestampHeader} is
     * set (Grafana's scheme), in {@code header}, optionally after {@code sha256=}.
     */
    record Hmac(Secret secret, String header, Optional<String> timestampHeader) implements SourceAuth {}
}
