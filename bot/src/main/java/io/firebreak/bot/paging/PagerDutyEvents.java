package io.firebreak.bot.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.outbound.Exchange;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.platform.outbound.OutboundRequest;
import io.firebreak.bot.platform.outbound.Redactor;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Severity;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PagerDuty's Events API v2 ({@code POST /v2/enqueue}): one trigger, acknowledge or resolve event per call, with the
 * incident's key as {@code dedup_key}, so PagerDuty keeps one alert per incident however often it is sent.
 */
public final class PagerDutyEvents {
    /** Most characters PagerDuty keeps of a summary. */
    static final int MAX_SUMMARY = 1024;

    private final OutboundHttp http;
    private final URI enqueue;
    private final ObjectMapper mapper;

    public PagerDutyEvents(OutboundHttp http, URI eventsUrl, ObjectMapper mapper) {
        this.http = http;
        this.enqueue = URI.create(eventsUrl.toString() + "/v2/enqueue");
        this.mapper = mapper;
    }

    /** A link sent with a trigger: PagerDuty shows it on its alert. */
    public record Link(String href, String text) {}

    /**
     * The event's JSON. Only a trigger carries a payload; {@code custom_details} holds what responders need and no
     * secret (the routing key is only in {@code routing_key}).
     */
    ObjectNode body(
            String action,
            Secret routingKey,
            Incident incident,
            String service,
            Optional<String> reason,
            List<Link> links) {
        ObjectNode body = mapper.createObjectNode();
        body.put("routing_key", routingKey.value());
        body.put("event_action", action);
        body.put("dedup_key", incident.key().toString());
        if (!action.equals("trigger")) {
            return body;
        }
        ObjectNode payload = body.putObject("payload");
        payload.put("summary", summary(incident));
        payload.put("source", "firebreak");
        payload.put("severity", severity(incident.severity()));
        payload.put("component", service);
        payload.put("class", "agent-incident");
        ObjectNode details = payload.putObject("custom_details");
        details.put("incident", incident.key().toString());
        details.put("title", incident.title());
        details.put("severity", incident.severity().map(Enum::name).orElse("not assessed"));
        details.put("phase", incident.phase().name());
        details.put("commander", incident.commander());
        reason.ifPresent(r -> details.put("reason", r));
        body.put("client", "Firebreak");
        links.stream().findFirst().ifPresent(l -> body.put("client_url", l.href()));
        ArrayNode array = body.putArray("links");
        links.forEach(l -> array.addObject().put("href", l.href()).put("text", l.text()));
        return body;
    }

    /** {@code INC-12: <title>}: the key first, so a webhook about the alert can be matched to its incident. */
    static String summary(Incident incident) {
        String summary = incident.key() + ": " + incident.title();
        return summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 1) + "…";
    }

    /** Firebreak's severity in PagerDuty's words; an incident not assessed yet pages as {@code error}. */
    static String severity(Optional<Severity> severity) {
        return severity.map(s -> switch (s) {
                    case CRITICAL -> "critical";
                    case HIGH -> "error";
                    case MEDIUM -> "warning";
                    case LOW -> "info";
                })
                .orElse("error");
    }

    /** Sends {@code body}; the routing key in it is a secret, redacted wherever the exchange is recorded. */
    Exchange send(ObjectNode body, Secret routingKey) {
        return http.send(
                new OutboundRequest(
                        "POST",
                        enqueue,
                        Map.of("Content-Type", "application/json", "Accept", "application/json"),
                        Optional.of(body.toString()),
                        Set.of(routingKey.value())),
                16 * 1024);
    }

    /**
     * Why PagerDuty refused an event, in a few words: "invalid routing key (400)", "rate limited (429)", "not
     * reachable (connection refused)". Its answer's {@code errors} are quoted, without the routing key.
     */
    String describe(Exchange exchange, Secret routingKey) {
        String code = exchange.status().map(s -> " (" + s + ")").orElse("");
        return switch (exchange.failure()) {
            case NONE -> "accepted" + code;
            case TIMEOUT ->
                "no answer in time" + exchange.error().map(e -> " (" + e + ")").orElse("");
            case CONNECTION ->
                "not reachable" + exchange.error().map(e -> " (" + e + ")").orElse("");
            case SERVER_ERROR -> "PagerDuty failed" + code;
            case RATE_LIMITED -> "rate limited" + code;
            case UNAUTHORIZED -> "credentials rejected" + code;
            case NOT_FOUND -> "not found" + code;
            case CLIENT_ERROR -> refusal(exchange, routingKey, code);
        };
    }

    private String refusal(Exchange exchange, Secret routingKey, String code) {
        String errors = "";
        try {
            JsonNode answer = mapper.readTree(exchange.bodyText());
            List<String> parts = new java.util.ArrayList<>();
            answer.path("errors").forEach(e -> parts.add(e.asText()));
            errors = parts.isEmpty() ? answer.path("message").asText("") : String.join("; ", parts);
        } catch (java.io.IOException | RuntimeException e) {
            // Not JSON: the status says enough.
        }
        errors = Redactor.redact(errors, Set.of(routingKey.value()));
        if (errors.toLowerCase(Locale.ROOT).contains("routing_key")
                || errors.toLowerCase(Locale.ROOT).contains("routing key")) {
            return "invalid routing key" + code + (errors.isBlank() ? "" : ": " + cut(errors));
        }
        return "refused" + code + (errors.isBlank() ? "" : ": " + cut(errors));
    }

    private static String cut(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }
}
