package io.firebreak.bot.intake.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.intake.ReportIntake;
import io.firebreak.bot.intake.ReportParser;
import io.firebreak.bot.platform.config.IntakeSettings;
import io.firebreak.bot.web.HmacSignature;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.bot.web.LimitedBody;
import io.firebreak.storage.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /reports}: user-report forms. Signed like Slack's requests, with {@code FIREBREAK_INTAKE_SECRET}:
 * {@code X-Firebreak-Timestamp} (Unix seconds) and {@code X-Firebreak-Signature: v1=<hex HMAC-SHA256 of
 * "v1:" + timestamp + ":" + body>}, within 5 minutes. Answers 202 only once the report is stored.
 */
public final class ReportsServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(ReportsServlet.class);
    /** Largest report body accepted. */
    public static final int MAX_BODY = 64 * 1024;

    static final Duration WINDOW = Duration.ofMinutes(5);

    private final transient IntakeSettings settings;
    private final transient ReportParser parser;
    private final transient ReportIntake intake;
    private final transient JsonResponses json;
    private final transient Clock clock;

    public ReportsServlet(
            IntakeSettings settings, ReportParser parser, ReportIntake intake, JsonResponses json, Clock clock) {
        this.settings = settings;
        this.parser = parser;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        java.util.Optional<byte[]> read = LimitedBody.read(req, MAX_BODY);
        if (read.isEmpty()) {
            json.error(resp, 413, "a report body may be at most 64 KB");
            return;
        }
        byte[] bytes = read.get();
        if (settings.secret().isEmpty()) {
            json.error(resp, 401, "report intake is off: set FIREBREAK_INTAKE_SECRET to turn it on");
            return;
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        HmacSignature signature = new HmacSignature(settings.secret().get(), "v1");
        if (!signature.verify(
                req.getHeader("X-Firebreak-Timestamp"),
                body,
                req.getHeader("X-Firebreak-Signature"),
                clock.instant(),
                WINDOW)) {
            json.error(
                    resp,
                    401,
                    "missing, wrong or stale signature: sign \"v1:<timestamp>:<body>\" with FIREBREAK_INTAKE_SECRET "
                            + "and send X-Firebreak-Timestamp and X-Firebreak-Signature: v1=<hex>");
            return;
        }
        ReportParser.Parsed parsed = parser.parse(body);
        if (parsed.report().isEmpty()) {
            ObjectNode error = json.mapper().createObjectNode();
            error.put(
                    "error",
                    "the report was not accepted: " + parsed.problems().get(0).field() + " "
                            + parsed.problems().get(0).problem());
            ArrayNode problems = error.putArray("problems");
            parsed.problems()
                    .forEach(p -> problems.addObject().put("field", p.field()).put("problem", p.problem()));
            json.write(resp, 400, error);
            return;
        }
        try {
            ReportIntake.Result result = intake.accept(
                    parsed.report().get(),
                    java.util.Optional.of(req.getHeader("X-Firebreak-Signature").strip()));
            if (result instanceof ReportIntake.RateLimited limited) {
                resp.setHeader(
                        "Retry-After",
                        String.valueOf(Math.max(1, limited.retryAfter().toSeconds())));
                json.error(
                        resp,
                        429,
                        "too many reports (from form '" + parsed.report().get().form()
                                + "' or from all forms together); retry after "
                                + limited.retryAfter().toSeconds() + " s");
                return;
            }
            ReportIntake.Accepted accepted = (ReportIntake.Accepted) result;
            com.fasterxml.jackson.databind.node.ObjectNode answer = json.mapper()
                    .createObjectNode()
                    .put("report", accepted.report())
                    .put("incident", accepted.incident().toString())
                    .put("joined_existing", accepted.joinedExisting());
            // The report is kept either way; the reporter learns its run's evidence will not be captured.
            accepted.runNotAttached().ifPresent(problem -> answer.put("run_not_attached", problem));
            json.write(resp, 202, answer);
        } catch (RuntimeException e) {
            log.error("report could not be stored: {}", Database.describeFailure(e));
            json.error(resp, 503, "storage is unavailable, the report was not stored; send it again");
        }
    }
}
