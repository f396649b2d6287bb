package io.firebreak.bot.paging.web;

import io.firebreak.bot.paging.PagerDutyWebhooks;
import io.firebreak.bot.paging.WebhookSignature;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/pagerduty}: PagerDuty's v3 webhooks, verified by {@code X-PagerDuty-Signature} before the body
 * is read as JSON. A delivery is answered 2xx once it is stored (PagerDuty drops a 4xx without retrying and retries a
 * 5xx), 2xx also for events about other alerts, so an unrelated event never disables the subscription.
 */
public final class PagerDutyWebhookServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(PagerDutyWebhookServlet.class);
    /** Largest body accepted; a v3 event is a few KB. */
    public static final int MAX_BODY = 256 * 1024;

    private final transient WebhookSignature signature;
    private final transient PagerDutyWebhooks webhooks;
    private final transient Consumer<PagerDutyWebhooks.Result> handled;
    private final transient JsonResponses json;

    /** @param handled told of each delivery once it is stored (the thread notice) */
    public PagerDutyWebhookServlet(
            WebhookSignature signature,
            PagerDutyWebhooks webhooks,
            Consumer<PagerDutyWebhooks.Result> handled,
            JsonResponses json) {
        this.signature = signature;
        this.webhooks = webhooks;
        this.handled = handled;
        this.json = json;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            json.error(resp, 413, "a PagerDuty webhook body may be at most 256 KB");
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            json.error(resp, 413, "a PagerDuty webhook body may be at most 256 KB");
            return;
        }
        if (!signature.configured()) {
            json.error(
                    resp,
                    401,
                    "PagerDuty webhooks are off: set PAGERDUTY_WEBHOOK_SECRETS to the subscription's secret");
            return;
        }
        if (!signature.verify(body, req.getHeader("X-PagerDuty-Signature"))) {
            json.error(
                    resp,
                    401,
                    "missing or wrong X-PagerDuty-Signature: expected v1=<hex HMAC-SHA256 of the body> with a secret"
                            + " in PAGERDUTY_WEBHOOK_SECRETS");
            return;
        }
        PagerDutyWebhooks.Result result;
        try {
            result = webhooks.handle(body);
        } catch (RuntimeException e) {
            log.error("PagerDuty webhook could not be stored: {}", Database.describeFailure(e));
            json.error(resp, 503, "storage is unavailable, the event was not stored; PagerDuty will send it again");
            return;
        }
        if (result instanceof PagerDutyWebhooks.Malformed m) {
            json.error(resp, 400, m.why());
            return;
        }
        var answer = json.mapper().createObjectNode();
        if (result instanceof PagerDutyWebhooks.Recorded r) {
            answer.put("status", "recorded").put("incident", r.incident().key().toString());
        } else if (result instanceof PagerDutyWebhooks.Replayed r) {
            answer.put("status", "duplicate").put("event", r.eventId());
        } else if (result instanceof PagerDutyWebhooks.NotOurs n) {
            answer.put("status", "ignored").put("reason", n.why());
        }
        try {
            handled.accept(result);
        } catch (RuntimeException e) {
            // Stored already: PagerDuty must not send it again for a notice that could not be queued.
            log.warn("PagerDuty webhook stored, but its notice was not: {}", Database.describeFailure(e));
        }
        json.write(resp, result instanceof PagerDutyWebhooks.Replayed ? 200 : 202, answer);
    }
}
