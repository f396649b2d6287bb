package io.firebreak.bot.incident.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.timeline.ChainVerification;
import io.firebreak.storage.timeline.TimelineEvent;
import java.util.List;

/** The read API's JSON shapes: snake_case names, ISO-8601 UTC times, {@code null} for what is not set. */
final class IncidentJson {
    private final ObjectMapper mapper;

    IncidentJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode summary(Incident incident) {
        ObjectNode node = mapper.createObjectNode();
        node.put("key", incident.key().toString());
        node.put("title", incident.title());
        node.put("severity", incident.severity().map(Enum::name).orElse(null));
        node.put("phase", incident.phase().name());
        node.put("commander", incident.commander());
        node.put("reporter", incident.reporter());
        node.put("source", incident.source());
        node.put("origin_channel", incident.originChannel().orElse(null));
        node.put("channel", incident.channelId().orElse(null));
        node.put("private", incident.privateIncident());
        ObjectNode card = node.putObject("card");
        card.put("channel", incident.cardChannel().orElse(null));
        card.put("ts", incident.cardTs().orElse(null));
        node.put("opened_at", incident.openedAt().toString());
        node.put("updated_at", incident.updatedAt().toString());
        return node;
    }

    ObjectNode withTimeline(Incident incident, List<TimelineEvent> events) {
        ObjectNode node = summary(incident);
        ArrayNode timeline = node.putArray("timeline");
        for (TimelineEvent e : events) {
            ObjectNode event = timeline.addObject();
            event.put("seq", e.seq());
            event.put("at", e.at().toString());
            event.put("actor", e.actor());
            event.put("kind", e.kind());
            event.set("details", e.details());
            event.put("prev_hash", e.prevHash());
            event.put("hash", e.hash());
        }
        return node;
    }

    ObjectNode verification(ChainVerification v) {
        ObjectNode node = mapper.createObjectNode();
        node.put("ok", v.ok());
        node.put("events", v.events());
        v.firstBroken().ifPresent(b -> {
            ObjectNode broken = node.putObject("first_broken");
            broken.put("seq", b.seq());
            broken.put("event_id", b.eventId());
            broken.put("reason", b.reason());
        });
        return node;
    }
}
