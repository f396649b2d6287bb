package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.integrity.RecordReader;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One incident's record as an auditor takes it away, and reads it back: its events, the incident row and
 * containment runs they must agree with, evidence snapshot hashes, the public key, and the checkpoints that cover
 * it. Each checkpoint comes as its signed statement with a Merkle inclusion proof of the incident's head (so the
 * export carries nothing of other incidents) and, when that checkpoint holds them, the incident's event hashes.
 */
public final class IncidentExport {
    public static final String FORMAT = "firebreak-export/1";

    private final ObjectMapper mapper;

    public IncidentExport(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The export of {@code key}; empty when there is no such incident. */
    Optional<ObjectNode> build(
            RecordReader reader, IncidentKey key, List<Checkpoint> checkpoints, Optional<VerifyingKey> publicKey) {
        Optional<RecordReader.IncidentFacts> row =
                reader.incidents(Optional.of(key.id())).stream().findFirst();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("format", FORMAT);
        ObjectNode incident = out.putObject("incident");
        incident.put("key", key.toString());
        incident.put(
                "title",
                io.firebreak.bot.platform.outbound.Redactor.redact(row.get().title()));
        incident.put("severity", row.get().severity().orElse(null));
        incident.put("phase", row.get().phase());
        incident.put("commander", row.get().commander());
        ArrayNode runs = out.putArray("containment_runs");
        reader.runs(Optional.of(key.id()))
                .forEach(r -> runs.addObject().put("id", r.id()).put("state", r.state()));
        ArrayNode events = out.putArray("events");
        for (TimelineEvent e : reader.events(Optional.of(key.id()))) {
            ObjectNode ev = events.addObject();
            ev.put("seq", e.seq());
            ev.put("at", e.at().toString());
            ev.put("actor", e.actor());
            ev.put("kind", e.kind());
            ev.set("details", e.details());
            ev.put("prev_hash", e.prevHash());
            ev.put("hash", e.hash());
        }
        ArrayNode evidence = out.putArray("evidence");
        reader.snapshots(key.id())
                .forEach(s -> evidence.addObject()
                        .put("run", s.runId())
                        .put("source", s.source())
                        .put("snapshot", s.seq())
                        .put("fetched_at", s.fetchedAt())
                        .put("sha256", s.sha256())
                        .put("bytes", s.bytes()));
        ArrayNode covering = out.putArray("checkpoints");
        for (Checkpoint cp : covering(checkpoints, key.id())) {
            ObjectNode c = covering.addObject();
            c.set("statement", cp.statement(mapper));
            c.put("signature", cp.signature());
            int index = indexOf(cp, key.id());
            Checkpoint.Head head = cp.heads().get(index);
            c.putObject("head")
                    .put("incident", key.toString())
                    .put("seq", head.seq())
                    .put("hash", head.hash());
            ObjectNode inclusion = c.putObject("inclusion");
            inclusion.put("index", index);
            inclusion.put("size", cp.heads().size());
            ArrayNode path = inclusion.putArray("path");
            new MerkleTree(cp.heads().stream().map(Checkpoint.Head::leaf).toList())
                    .proof(index)
                    .forEach(path::add);
            Optional.ofNullable(cp.eventHashes().get(key.id())).ifPresent(list -> {
                ArrayNode a = c.putObject("event_hashes").putArray(key.toString());
                list.forEach(a::add);
            });
        }
        out.put("public_key", publicKey.map(VerifyingKey::toPem).orElse(null));
        return Optional.of(out);
    }

    /** The newest checkpoint holding the incident's event hashes, and the newest covering it at all. */
    private static List<Checkpoint> covering(List<Checkpoint> checkpoints, long incident) {
        Map<Long, Checkpoint> chosen = new LinkedHashMap<>();
        checkpoints.stream()
                .filter(c -> c.eventHashes().containsKey(incident))
                .max(Comparator.comparingLong(Checkpoint::number))
                .ifPresent(c -> chosen.put(c.number(), c));
        checkpoints.stream()
                .filter(c -> c.head(incident).isPresent())
                .max(Comparator.comparingLong(Checkpoint::number))
                .ifPresent(c -> chosen.put(c.number(), c));
        return List.copyOf(chosen.values());
    }

    private static int indexOf(Checkpoint cp, long incident) {
        for (int i = 0; i < cp.heads().size(); i++) {
            if (cp.heads().get(i).incidentId() == incident) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "checkpoint #" + cp.number() + " does not cover " + new IncidentKey(incident));
    }

    /**
     * Reads an export back into what {@link RecordVerifier} checks, trusting {@code key} (an auditor's own copy of
     * the public key) or, when empty, the key the export carries. Throws {@link IllegalArgumentException} when it is
     * not a readable export.
     */
    public RecordVerifier.Input read(JsonNode export, Optional<VerifyingKey> key) {
        if (!FORMAT.equals(export.path("format").asText())) {
            throw new IllegalArgumentException("not a " + FORMAT + " export");
        }
        JsonNode incident = export.path("incident");
        long id = IncidentKey.parse(incident.path("key").asText())
                .orElseThrow(() -> new IllegalArgumentException("the export names no incident"))
                .id();
        List<TimelineEvent> events = new ArrayList<>();
        try {
            for (JsonNode e : export.path("events")) {
                events.add(new TimelineEvent(
                        0,
                        id,
                        e.path("seq").asInt(),
                        Instant.parse(e.path("at").asText()),
                        e.path("actor").asText(),
                        e.path("kind").asText(),
                        e.path("details"),
                        e.path("prev_hash").asText(),
                        e.path("hash").asText()));
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("an event has an unreadable time");
        }
        List<RecordVerifier.RunRow> runs = new ArrayList<>();
        export.path("containment_runs")
                .forEach(r -> runs.add(new RecordVerifier.RunRow(
                        r.path("id").asText(), id, r.path("state").asText())));
        JsonNode severity = incident.path("severity");
        RecordVerifier.IncidentRow row = new RecordVerifier.IncidentRow(
                id,
                severity.isTextual() ? Optional.of(severity.asText()) : Optional.empty(),
                incident.path("phase").asText(),
                incident.path("commander").asText());
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<RecordVerifier.Inclusion> inclusions = new ArrayList<>();
        for (JsonNode c : export.path("checkpoints")) {
            Checkpoint cp = Checkpoint.fromJson(c);
            checkpoints.add(cp);
            JsonNode head = c.path("head");
            JsonNode inclusion = c.path("inclusion");
            List<String> path = new ArrayList<>();
            inclusion.path("path").forEach(p -> path.add(p.asText()));
            inclusions.add(new RecordVerifier.Inclusion(
                    cp.number(),
                    new Checkpoint.Head(
                            id, head.path("seq").asInt(), head.path("hash").asText()),
                    inclusion.path("index").asInt(),
                    inclusion.path("size").asInt(),
                    path));
        }
        Optional<VerifyingKey> trusted = key.or(() -> export.path("public_key").isTextual()
                ? Optional.of(VerifyingKey.parse(export.path("public_key").asText()))
                : Optional.empty());
        return new RecordVerifier.Input(
                events, List.of(row), runs, checkpoints, inclusions, trusted, Optional.of(Set.of(id)));
    }
}
