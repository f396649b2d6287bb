package io.firebreak.storage.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The hash of one timeline event, as {@link Timeline} chains it: {@code SHA-256(prev_hash + "\n" + canonical JSON of
 * {actor, at, details, incident, kind, seq})}. Public so that a verifier holding only an export (no database) computes
 * exactly what the bot stored.
 */
public final class EventHash {
    private final ObjectMapper mapper;
    private final CanonicalJson canonical;

    public EventHash(ObjectMapper mapper) {
        this.mapper = mapper;
        this.canonical = new CanonicalJson(mapper);
    }

    /** The hash of an event with these contents, following the event whose hash is {@code prevHash}. */
    public String of(
            String prevHash, long incidentId, int seq, Instant at, String actor, String kind, JsonNode details) {
        ObjectNode content = mapper.createObjectNode();
        content.put("actor", actor);
        content.put("at", at.toString());
        content.set("details", details);
        content.put("incident", "INC-" + incidentId);
        content.put("kind", kind);
        content.put("seq", seq);
        return Timeline.sha256(prevHash + "\n" + canonical.write(content));
    }

    /**
     * The text {@link #of} hashes for an event of an incident whose number is not known yet, cut where the number goes:
     * the hash is {@code SHA-256(before + number + after)}, so the database can take it in the statement that numbers
     * the incident. The incident is the only key between {@code details} and {@code kind}, so the last place it could be
     * is where it is, whatever the details say.
     */
    public Around around(String prevHash, int seq, Instant at, String actor, String kind, JsonNode details) {
        ObjectNode content = mapper.createObjectNode();
        content.put("actor", actor);
        content.put("at", at.toString());
        content.set("details", details);
        content.put("incident", "INC-#");
        content.put("kind", kind);
        content.put("seq", seq);
        String text = prevHash + "\n" + canonical.write(content);
        int cut = text.lastIndexOf("\"incident\":\"INC-#\"") + "\"incident\":\"INC-".length();
        return new Around(text.substring(0, cut), text.substring(cut + 1));
    }

    /** The hashed text of an event around its incident number. */
    public record Around(String before, String after) {}

    /** The hash {@code event} should have after {@code prevHash}, at sequence number {@code seq}. */
    public String of(String prevHash, int seq, TimelineEvent event) {
        return of(prevHash, event.incidentId(), seq, event.at(), event.actor(), event.kind(), event.details());
    }
}
