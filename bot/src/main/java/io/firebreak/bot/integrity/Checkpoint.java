package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.signing.SigningKey;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.timeline.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A signed checkpoint over the whole record, as published. Its signed {@linkplain #statement statement} names its
 * number, the previous checkpoint's digest (so checkpoints form a chain, like CloudTrail digest files), and the
 * Merkle root over every incident's timeline head (like a Certificate Transparency signed tree head). The file
 * also carries the heads themselves (the tree's leaves) and, for each incident that changed since the previous
 * checkpoint, the hash of every one of its events, so a verifier can name the exact event that was changed.
 *
 * @param previous    the digest of checkpoint {@code number - 1}, or 64 zeros for the first
 * @param events      how many events the heads cover in all
 * @param keyId       {@link VerifyingKey#id()} of the key that signed it
 * @param signature   Ed25519 over the canonical statement, base64
 * @param heads       every incident's newest event, by incident id: the Merkle leaves
 * @param eventHashes for incidents changed since the previous checkpoint: every event hash, seq 1 first
 */
public record Checkpoint(
        long number,
        Instant madeAt,
        String previous,
        String root,
        int incidents,
        long events,
        String keyId,
        String signature,
        List<Head> heads,
        Map<Long, List<String>> eventHashes) {
    /** The {@code format} of the statement: a verifier refuses what it does not know. */
    public static final String FORMAT = "firebreak-checkpoint/1";

    public static final String GENESIS = "0".repeat(64);

    public Checkpoint {
        heads = List.copyOf(heads);
        eventHashes = Map.copyOf(eventHashes);
    }

    /** An incident's newest event when the checkpoint was made. */
    public record Head(long incidentId, int seq, String hash) {
        /** The Merkle leaf: {@code INC-<id>:<seq>:<hash>}. */
        public String leaf() {
            return "INC-" + incidentId + ":" + seq + ":" + hash;
        }
    }

    /** Signs a new checkpoint over {@code heads} with {@code key}. */
    public static Checkpoint sign(
            long number,
            Instant madeAt,
            String previous,
            List<Head> heads,
            Map<Long, List<String>> eventHashes,
            SigningKey key,
            ObjectMapper mapper) {
        String root = root(heads);
        long events = heads.stream().mapToLong(Head::seq).sum();
        Checkpoint unsigned = new Checkpoint(
                number,
                madeAt,
                previous,
                root,
                heads.size(),
                events,
                key.verifyingKey().id(),
                "",
                heads,
                eventHashes);
        byte[] signature = key.sign(unsigned.statementText(mapper).getBytes(StandardCharsets.UTF_8));
        return new Checkpoint(
                number,
                madeAt,
                previous,
                root,
                heads.size(),
                events,
                unsigned.keyId,
                Base64.getEncoder().encodeToString(signature),
                heads,
                eventHashes);
    }

    /** The Merkle root over {@code heads} in the order given. */
    public static String root(List<Head> heads) {
        return new MerkleTree(heads.stream().map(Head::leaf).toList()).root();
    }

    /** The part that is signed. */
    public ObjectNode statement(ObjectMapper mapper) {
        ObjectNode s = mapper.createObjectNode();
        s.put("format", FORMAT);
        s.put("number", number);
        s.put("made_at", madeAt.toString());
        s.put("previous", previous);
        s.put("root", root);
        s.put("incidents", incidents);
        s.put("events", events);
        s.put("key", keyId);
        return s;
    }

    public String statementText(ObjectMapper mapper) {
        return new CanonicalJson(mapper).write(statement(mapper));
    }

    /** SHA-256 of the canonical statement: what the next checkpoint names as its previous. */
    public String digest(ObjectMapper mapper) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(statementText(mapper).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Empty when {@code key} signed this statement and its heads (when it carries them) hash to its root; else what
     * is wrong.
     */
    public Optional<String> problem(VerifyingKey key, ObjectMapper mapper) {
        if (!key.id().equals(keyId)) {
            return Optional.of("signed by key " + keyId + ", not by the trusted key " + key.id());
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return Optional.of("its signature is not base64");
        }
        if (!key.verifies(statementText(mapper).getBytes(StandardCharsets.UTF_8), sig)) {
            return Optional.of("its signature does not verify with key " + key.id());
        }
        if (!heads.isEmpty() || incidents == 0) {
            if (heads.size() != incidents || !root(heads).equals(root)) {
                return Optional.of("its heads do not hash to its signed root");
            }
        }
        return Optional.empty();
    }

    /** The published file: statement, signature, heads and event hashes, as canonical JSON. */
    public String toDocument(ObjectMapper mapper) {
        ObjectNode doc = mapper.createObjectNode();
        doc.set("statement", statement(mapper));
        doc.put("signature", signature);
        ArrayNode headsJson = doc.putArray("heads");
        for (Head h : heads) {
            headsJson
                    .addObject()
                    .put("incident", "INC-" + h.incidentId())
                    .put("seq", h.seq())
                    .put("hash", h.hash());
        }
        ObjectNode hashes = doc.putObject("event_hashes");
        eventHashes.forEach((id, list) -> {
            ArrayNode a = hashes.putArray("INC-" + id);
            list.forEach(a::add);
        });
        return new CanonicalJson(mapper).write(doc);
    }

    /** Reads a checkpoint file (or the {@code checkpoint} object of an export). */
    public static Checkpoint parse(String document, ObjectMapper mapper) {
        return fromJson(new CanonicalJson(mapper).read(document));
    }

    /**
     * Reads a checkpoint from its JSON form. A statement alone (no heads) is accepted: its signature can be checked,
     * and an inclusion proof can show an incident's head in it. Throws {@link IllegalArgumentException} when it is
     * not a checkpoint this verifier knows.
     */
    public static Checkpoint fromJson(JsonNode doc) {
        JsonNode s = doc.path("statement");
        if (!FORMAT.equals(s.path("format").asText())) {
            throw new IllegalArgumentException("not a " + FORMAT + " checkpoint");
        }
        try {
            List<Head> heads = new ArrayList<>();
            for (JsonNode h : doc.path("heads")) {
                heads.add(new Head(
                        incidentId(h.path("incident").asText()),
                        h.path("seq").asInt(),
                        h.path("hash").asText()));
            }
            Map<Long, List<String>> eventHashes = new LinkedHashMap<>();
            doc.path("event_hashes").fields().forEachRemaining(e -> {
                List<String> list = new ArrayList<>();
                e.getValue().forEach(v -> list.add(v.asText()));
                eventHashes.put(incidentId(e.getKey()), list);
            });
            return new Checkpoint(
                    s.path("number").asLong(),
                    Instant.parse(s.path("made_at").asText()),
                    s.path("previous").asText(),
                    s.path("root").asText(),
                    s.path("incidents").asInt(),
                    s.path("events").asLong(),
                    s.path("key").asText(),
                    doc.path("signature").asText(),
                    heads,
                    eventHashes);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("checkpoint has an unreadable made_at");
        }
    }

    /** The head of {@code incidentId} in this checkpoint, if it covers it. */
    public Optional<Head> head(long incidentId) {
        return heads.stream().filter(h -> h.incidentId() == incidentId).findFirst();
    }

    private static long incidentId(String key) {
        return IncidentKey.parse(key)
                .orElseThrow(() -> new IllegalArgumentException("not an incident key: " + key))
                .id();
    }
}
