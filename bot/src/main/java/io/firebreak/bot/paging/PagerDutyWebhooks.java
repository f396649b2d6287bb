package io.firebreak.bot.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.incident.TimelineRecorder;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.paging.PagingDao;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PagerDuty's webhooks (v3), once verified: an incident event about an alert Firebreak raised is put on the
 * incident's timeline ("acknowledged in PagerDuty by Tim Wright"). The alert is matched by the incident key Firebreak
 * sent as {@code dedup_key} (PagerDuty's {@code incident_key}), else by the key that starts the summary. Nothing in
 * Firebreak's lifecycle changes: a PagerDuty resolve is recorded, it does not resolve the incident.
 */
public final class PagerDutyWebhooks {
    private static final Pattern KEY_FIRST = Pattern.compile("^\\s*\\[?(INC-\\d{1,18})\\b");

    private final Storage storage;
    private final ObjectMapper mapper;

    public PagerDutyWebhooks(Storage storage, ObjectMapper mapper) {
        this.storage = storage;
        this.mapper = mapper;
    }

    /** What came of one delivery. */
    public sealed interface Result permits Recorded, Replayed, NotOurs, Malformed {}

    /**
     * Put on {@code incident}'s timeline.
     *
     * @param what e.g. "acknowledged in PagerDuty by Tim Wright"
     */
    public record Recorded(Incident incident, String eventType, String what) implements Result {}

    /** This event id was handled before: PagerDuty delivers at least once. */
    public record Replayed(String eventId) implements Result {}

    /** Not about an alert of a Firebreak incident (another integration's, or a service event): kept, ignored. */
    public record NotOurs(String eventType, String why) implements Result {}

    /** Not a v3 event envelope. */
    public record Malformed(String why) implements Result {}

    /** Handles one verified delivery. */
    public Result handle(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (java.io.IOException e) {
            return new Malformed("the body is not JSON");
        }
        JsonNode event = root == null ? null : root.path("event");
        if (event == null
                || !event.isObject()
                || !event.path("id").isTextual()
                || !event.path("event_type").isTextual()) {
            return new Malformed("expected a v3 webhook: {\"event\": {\"id\", \"event_type\", \"data\"…}}");
        }
        String id = TextLimits.cut(event.path("id").asText(), 200);
        String type = TextLimits.cut(event.path("event_type").asText(), 100);
        JsonNode data = event.path("data");
        Optional<IncidentKey> key = type.startsWith("incident.") ? keyOf(data) : Optional.empty();
        return storage.inTransaction(tx -> {
            Optional<Incident> incident = key.flatMap(k -> tx.incidents().find(k.id()));
            PagingDao dao = tx.attach(PagingDao.class);
            if (!dao.rememberWebhook(
                    id,
                    type,
                    incident.map(Incident::id).orElse(null),
                    storage.clock().instant())) {
                return new Replayed(id);
            }
            if (incident.isEmpty()) {
                return new NotOurs(
                        type,
                        key.isEmpty()
                                ? "not about an alert Firebreak raised"
                                : "there is no incident " + key.get() + " in Firebreak");
            }
            String what = describe(type, event);
            ObjectNode details = mapper.createObjectNode()
                    .put("event_id", id)
                    .put("event_type", type)
                    .put("text", what);
            putText(details, "occurred_at", event.path("occurred_at"));
            putText(details, "pagerduty_incident", data.path("id"));
            putText(details, "pagerduty_url", data.path("html_url"));
            putText(details, "status", data.path("status"));
            putText(details, "agent", event.path("agent").path("summary"));
            TimelineRecorder.record(
                    tx,
                    incident.get().id(),
                    PagingService.PAGERDUTY,
                    "pagerduty_" + type.substring("incident.".length()).replace('.', '_'),
                    details,
                    storage.clock().instant());
            return new Recorded(incident.get(), type, what);
        });
    }

    private static void putText(ObjectNode details, String name, JsonNode value) {
        if (value.isTextual()) {
            details.put(name, TextLimits.cut(value.asText(), 500));
        }
    }

    /** The Firebreak incident an alert is about: its {@code incident_key}, else a key at the start of its title. */
    static Optional<IncidentKey> keyOf(JsonNode data) {
        for (String field : List.of("incident_key", "title", "summary")) {
            JsonNode value = data.path(field);
            if (value.isTextual()) {
                Matcher m = KEY_FIRST.matcher(value.asText());
                if (m.find()) {
                    Optional<IncidentKey> key = IncidentKey.parse(m.group(1));
                    if (key.isPresent()) {
                        return key;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** E.g. "acknowledged in PagerDuty by Tim Wright". */
    static String describe(String type, JsonNode event) {
        String by = Optional.ofNullable(event.path("agent").path("summary").textValue())
                .map(a -> " by " + TextLimits.cut(a, 100))
                .orElse("");
        String verb = type.substring("incident.".length()).replace('.', ' ').replace('_', ' ');
        List<String> assignees = new ArrayList<>();
        event.path("data")
                .path("assignees")
                .forEach(a -> assignees.add(a.path("summary").asText("someone")));
        String to = (type.equals("incident.escalated") || type.equals("incident.reassigned")) && !assignees.isEmpty()
                ? " to " + TextLimits.cut(String.join(", ", assignees), 200)
                : "";
        return verb + " in PagerDuty" + by + to;
    }
}
