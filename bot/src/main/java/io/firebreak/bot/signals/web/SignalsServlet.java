package io.firebreak.bot.signals.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.signing.Hmac;
import io.firebreak.bot.signals.AlertParser;
import io.firebreak.bot.signals.SignalService;
import io.firebreak.bot.signals.SignalSource;
import io.firebreak.bot.signals.SourceAuth;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.bot.web.LimitedBody;
import io.firebreak.storage.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /signals/{source}}: alerts from a configured source, verified (bearer token or HMAC), limited as
 * {@code /reports} is (size, rate, replays), parsed by the source's kind, and answered 202 only once every alert is
 * stored.
 */
public final class SignalsServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(SignalsServlet.class);
    /** Largest body accepted: a notification of up to {@link AlertParser#MAX_ALERTS} alerts. */
    public static final int MAX_BODY = 1024 * 1024;
    /** How far a signed timestamp may be from now, either side. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final transient Map<String, SignalSource> sources;
    private final transient SignalService signals;
    private final transient JsonResponses json;
    private final transient Clock clock;

    public SignalsServlet(Map<String, SignalSource> sources, SignalService signals, JsonResponses json, Clock clock) {
        this.sources = Map.copyOf(sources);
        this.signals = signals;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = Optional.ofNullable(req.getPathInfo()).orElse("/").substring(1);
        SignalSource source = sources.get(name);
        if (source == null) {
            json.error(
                    resp,
                    404,
                    sources.isEmpty()
                            ? "no signal sources are configured (FIREBREAK_SIGNALS, manifests/signals.yml)"
                            : "no signal source is named \"" + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                                    + "\"; configured: "
                                    + String.join(
                                            ", ",
                                            sources.keySet().stream().sorted().toList()));
            return;
        }
        Optional<byte[]> read = LimitedBody.read(req, MAX_BODY);
        if (read.isEmpty()) {
            json.error(resp, 413, "a signal body may be at most 1 MB; lower the sender's max_alerts");
            return;
        }
        if (source.auth().isEmpty()) {
            json.error(
                    resp,
                    401,
                    "signal source " + source.name() + " is off until configured: set "
                            + String.join(", ", source.notConfigured()));
            return;
        }
        Optional<String> refused = verify(source.auth().get(), req, read.get());
        if (refused.isPresent()) {
            json.error(resp, 401, refused.get());
            return;
        }
        AlertParser.Body body;
        try {
            body = AlertParser.read(json.mapper(), read.get());
        } catch (JsonProcessingException e) {
            problems(
                    resp,
                    java.util.List.of(
                            new AlertParser.Problem("(body)", "is not valid JSON: " + e.getOriginalMessage())));
            return;
        }
        AlertParser.Parsed parsed = AlertParser.parse(source, body);
        if (!parsed.problems().isEmpty()) {
            problems(resp, parsed.problems());
            return;
        }
        try {
            SignalService.Result result = signals.receive(
                    source, parsed.alerts(), signature(source.auth().get(), req).map(s -> source.name() + " " + s));
            if (result instanceof SignalService.RateLimited limited) {
                resp.setHeader(
                        "Retry-After",
                        String.valueOf(Math.max(1, limited.retryAfter().toSeconds())));
                json.error(
                        resp,
                        429,
                        "too many requests from signal source " + source.name() + " (over " + source.ratePerMinute()
                                + " a minute); retry after "
                                + limited.retryAfter().toSeconds() + " s");
                return;
            }
            json.write(resp, 202, result);
        } catch (RuntimeException e) {
            log.error("alerts from {} could not be stored: {}", source.name(), Database.describeFailure(e));
            json.error(resp, 503, "storage is unavailable, the alerts were not stored; send them again");
        }
    }

    private void problems(HttpServletResponse resp, java.util.List<AlertParser.Problem> problems) throws IOException {
        ObjectNode error = json.mapper().createObjectNode();
        error.put(
                "error",
                "the alerts were not accepted: " + problems.get(0).field() + " "
                        + problems.get(0).problem());
        ArrayNode list = error.putArray("problems");
        problems.stream()
                .limit(50)
                .forEach(p -> list.addObject().put("field", p.field()).put("problem", p.problem()));
        json.write(resp, 400, error);
    }

    /** Why the request is not the source's own, or empty when it is. Never says what was expected. */
    private Optional<String> verify(SourceAuth auth, HttpServletRequest req, byte[] body) {
        if (auth instanceof SourceAuth.Bearer bearer) {
            String given = Optional.ofNullable(req.getHeader("Authorization"))
                    .orElse("")
                    .strip();
            boolean ok = MessageDigest.isEqual(
                    ("Bearer " + bearer.token().value()).getBytes(StandardCharsets.UTF_8),
                    given.getBytes(StandardCharsets.UTF_8));
            return ok
                    ? Optional.empty()
                    : Optional.of("missing or wrong bearer token: send Authorization: Bearer <the source's token>");
        }
        SourceAuth.Hmac hmac = (SourceAuth.Hmac) auth;
        String given =
                Optional.ofNullable(req.getHeader(hmac.header())).orElse("").strip();
        if (given.startsWith("sha256=")) {
            given = given.substring("sha256=".length());
        }
        byte[] signed = body;
        if (hmac.timestampHeader().isPresent()) {
            String ts = Optional.ofNullable(req.getHeader(hmac.timestampHeader().get()))
                    .orElse("")
                    .strip();
            long seconds;
            try {
                seconds = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                return Optional.of(
                        "missing timestamp: send " + hmac.timestampHeader().get() + " (Unix seconds)");
            }
            if (Math.abs(clock.instant().getEpochSecond() - seconds) > WINDOW.toSeconds()) {
                return Optional.of(
                        "stale signature: " + hmac.timestampHeader().get() + " is more than 5 minutes from now");
            }
            byte[] prefix = (ts + ":").getBytes(StandardCharsets.UTF_8);
            signed = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
        }
        boolean ok = MessageDigest.isEqual(
                Hmac.sha256Hex(hmac.secret().value(), signed).getBytes(StandardCharsets.UTF_8),
                given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return ok
                ? Optional.empty()
                : Optional.of("missing or wrong signature: send " + hmac.header()
                        + ": the hex HMAC-SHA256 of the body"
                        + hmac.timestampHeader()
                                .map(t -> " prefixed with \"<" + t + ">:\"")
                                .orElse("")
                        + " under the source's secret");
    }

    /** What identifies a signed delivery for replay refusal: its signature (and timestamp); bearer requests have none. */
    private static Optional<String> signature(SourceAuth auth, HttpServletRequest req) {
        if (auth instanceof SourceAuth.Hmac hmac) {
            return Optional.of(hmac.timestampHeader()
                            .map(t -> Optional.ofNullable(req.getHeader(t))
                                            .orElse("")
                                            .strip() + ":")
                            .orElse("")
                    + req.getHeader(hmac.header()).strip());
        }
        return Optional.empty();
    }
}
