package io.firebreak.bot.slack;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.web.CachedBodyRequest;
import io.firebreak.bot.web.HmacSignature;
import io.firebreak.bot.web.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks Slack's request signature before anything parses the body: a request that is unsigned, wrongly signed, or
 * signed more than 5 minutes before or after now gets 401, whatever its shape. Bolt's own check still runs after it;
 * this one also refuses timestamps in the future, which Bolt accepts. The body is read once and handed on unchanged.
 */
public final class SlackSignatureFilter extends HttpFilter {
    /** Slack's replay window, either side of now. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final transient HmacSignature signature;
    private final transient JsonResponses json;
    private final transient Clock clock;

    public SlackSignatureFilter(Secret signingSecret, JsonResponses json, Clock clock) {
        this.signature = new HmacSignature(signingSecret, "v0");
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(req.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        String timestamp = req.getHeader("X-Slack-Request-Timestamp");
        String signed = req.getHeader("X-Slack-Signature");
        CachedBodyRequest cached = req instanceof CachedBodyRequest read
                ? read
                : new CachedBodyRequest(req, req.getInputStream().readAllBytes());
        if (timestamp == null || signed == null) {
            if (sslCheck(cached.body())) {
                // Slack's certificate check comes unsigned; Bolt answers it with an empty 200 and does nothing else.
                chain.doFilter(cached, res);
                return;
            }
            json.error(res, 401, "invalid request: X-Slack-Request-Timestamp and X-Slack-Signature are required");
            return;
        }
        if (!signature.verify(
                timestamp, new String(cached.body(), StandardCharsets.UTF_8), signed, clock.instant(), WINDOW)) {
            json.error(
                    res,
                    401,
                    "invalid request: the signature is wrong, or its timestamp is more than 5 minutes from now");
            return;
        }
        chain.doFilter(cached, res);
    }

    private static boolean sslCheck(byte[] body) {
        return java.util.Arrays.asList(new String(body, StandardCharsets.US_ASCII).split("&"))
                .contains("ssl_check=1");
    }
}
