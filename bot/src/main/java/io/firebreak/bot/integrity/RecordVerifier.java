package io.firebreak.bot.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.integrity.Finding.Kind;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.storage.timeline.EventHash;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a record against published checkpoints without trusting whoever supplied the record: pure code over the
 * events (read from a database or an export), the public key and the checkpoint files. Only checkpoints the key
 * signed are believed; each event they cover must still hash, after the hash the checkpoint holds for the event
 * before it, to the hash the checkpoint holds for it. That names the exact event changed, removed, inserted or
 * moved even when whoever changed it recomputed every later hash. Incident rows and containment runs, which the
 * chain does not cover, are checked against what the (verified) events say.
 */
public final class RecordVerifier {
    /** Beyond this many broken events in one incident, moved events are not searched for (it is quadratic). */
    private static final int MOVE_SEARCH_LIMIT = 500;

    private final ObjectMapper mapper;
    private final EventHash eventHash;

    public RecordVerifier(ObjectMapper mapper) {
        this.mapper = mapper;
        this.eventHash = new EventHash(mapper);
    }

    /** An incident row as stored: what the verifier compares with its events. */
    public record IncidentRow(long id, Optional<String> severity, String phase, String commander) {}

    /** A containment run as stored. */
    public record RunRow(String id, long incidentId, String state) {}

    /** That an incident's head is in a checkpoint that carries only its statement (an export's). */
    public record Inclusion(long checkpoint, Checkpoint.Head head, int index, int size, List<String> path) {}

    /**
     * What to verify.
     *
     * @param key         the public key checkpoints must be signed with; without one none is believed
     * @param scope       the incidents to check; empty means every incident the record or a checkpoint names, so an
     *                    incident a checkpoint covers and the record lacks is reported
     * @param inclusions  proofs for checkpoints published without their heads
     */
    public record Input(
            List<TimelineEvent> events,
            List<IncidentRow> incidents,
            List<RunRow> runs,
            List<Checkpoint> checkpoints,
            List<Inclusion> inclusions,
            Optional<VerifyingKey> key,
            Optional<Set<Long>> scope) {}

    /**
     * The outcome.
     *
     * @param checkpoints how many checkpoints were trusted
     * @param latest      the newest trusted checkpoint's number, when there is one
     */
    public record Report(int incidents, int events, int checkpoints, Optional<Long> latest, List<Finding> findings) {
        public boolean ok() {
            return findings.isEmpty();
        }
    }

    public Report verify(Input input) {
        List<Finding> findings = new ArrayList<>();
        Map<Long, Map<Integer, String>> expected = new HashMap<>();
        List<Checkpoint> trusted = trust(input, findings, expected);

        Map<Long, List<TimelineEvent>> byIncident = input.events().stream()
                .collect(Collectors.groupingBy(TimelineEvent::incidentId, TreeMap::new, Collectors.toList()));
        Set<Long> incidents = input.scope()
                .map(s -> (Set<Long>) new TreeSet<>(s))
                .orElseGet(() -> {
                    Set<Long> all = new TreeSet<>(byIncident.keySet());
                    all.addAll(expected.keySet());
                    input.incidents().forEach(r -> all.add(r.id()));
                    return all;
                });
        for (long id : incidents) {
            List<TimelineEvent> events = new ArrayList<>(byIncident.getOrDefault(id, List.of()));
            events.sort(Comparator.comparingInt(TimelineEvent::seq));
            chain(id, events, expected.getOrDefault(id, Map.of()), findings);
            input.incidents().stream()
                    .filter(r -> r.id() == id)
                    .findFirst()
                    .ifPresent(row -> row(row, events, findings));
            runs(
                    id,
                    events,
                    input.runs().stream().filter(r -> r.incidentId() == id).toList(),
                    findings);
        }
        int eventCount = incidents.stream()
                .mapToInt(id -> byIncident.getOrDefault(id, List.of()).size())
                .sum();
        return new Report(
                incidents.size(),
                eventCount,
                trusted.size(),
                trusted.stream().map(Checkpoint::number).max(Long::compare),
                List.copyOf(findings));
    }

    /** Keeps the checkpoints the key signed, and gathers, per incident, the event hashes they vouch for. */
    private List<Checkpoint> trust(Input input, List<Finding> findings, Map<Long, Map<Integer, String>> expected) {
        List<Checkpoint> sorted = new ArrayList<>(input.checkpoints());
        sorted.sort(Comparator.comparingLong(Checkpoint::number));
        List<Checkpoint> trusted = new ArrayList<>();
        Map<Long, Checkpoint> byNumber = new HashMap<>();
        Map<String, Long> vouchedBy = new HashMap<>();
        for (Checkpoint cp : sorted) {
            Optional<String> problem = input.key().isEmpty()
                    ? Optional.of("there is no public key to check it with")
                    : cp.problem(input.key().get(), mapper);
            if (problem.isPresent()) {
                findings.add(Finding.of(
                        Kind.CHECKPOINT_REFUSED, "checkpoint #" + cp.number() + " is not used: " + problem.get()));
                continue;
            }
            Map<Long, Checkpoint.Head> heads = new HashMap<>();
            cp.heads().forEach(h -> heads.put(h.incidentId(), h));
            for (Inclusion inc : input.inclusions()) {
                if (inc.checkpoint() != cp.number()) {
                    continue;
                }
                if (MerkleTree.verifyInclusion(inc.head().leaf(), inc.index(), inc.size(), inc.path(), cp.root())
                        && inc.size() == cp.incidents()) {
                    heads.put(inc.head().incidentId(), inc.head());
                } else {
                    findings.add(Finding.of(
                            Kind.CHECKPOINT_REFUSED,
                            inc.head().incidentId(),
                            "the proof that its head is in checkpoint #" + cp.number() + " does not hold"));
                }
            }
            Checkpoint before = byNumber.get(cp.number() - 1);
            if (before != null && !cp.previous().equals(before.digest(mapper))) {
                findings.add(Finding.of(
                        Kind.CHECKPOINT_CONFLICT,
                        "checkpoint #" + cp.number() + " does not name checkpoint #" + before.number()
                                + " as its previous"));
            }
            if (byNumber.putIfAbsent(cp.number(), cp) != null) {
                findings.add(Finding.of(
                        Kind.CHECKPOINT_CONFLICT, "two different checkpoints #" + cp.number() + " were signed"));
                continue;
            }
            trusted.add(cp);
            for (Map.Entry<Long, List<String>> e : cp.eventHashes().entrySet()) {
                Checkpoint.Head head = heads.get(e.getKey());
                List<String> hashes = e.getValue();
                if (head == null
                        || hashes.size() != head.seq()
                        || !hashes.get(hashes.size() - 1).equals(head.hash())) {
                    findings.add(Finding.of(
                            Kind.CHECKPOINT_REFUSED,
                            e.getKey(),
                            "the event hashes in checkpoint #" + cp.number() + " do not end at its signed head"));
                    continue;
                }
                for (int i = 0; i < hashes.size(); i++) {
                    vouch(expected, vouchedBy, e.getKey(), i + 1, hashes.get(i), cp.number(), findings);
                }
            }
            heads.values()
                    .forEach(h -> vouch(expected, vouchedBy, h.incidentId(), h.seq(), h.hash(), cp.number(), findings));
        }
        return trusted;
    }

    private static void vouch(
            Map<Long, Map<Integer, String>> expected,
            Map<String, Long> vouchedBy,
            long incident,
            int seq,
            String hash,
            long checkpoint,
            List<Finding> findings) {
        Map<Integer, String> hashes = expected.computeIfAbsent(incident, k -> new HashMap<>());
        String earlier = hashes.putIfAbsent(seq, hash);
        if (earlier == null) {
            vouchedBy.put(incident + ":" + seq, checkpoint);
        } else if (!earlier.equals(hash)) {
            findings.add(Finding.of(
                    Kind.CHECKPOINT_CONFLICT,
                    incident,
                    seq,
                    "checkpoint #" + checkpoint
                            + " holds another hash than checkpoint #" + vouchedBy.get(incident + ":" + seq)
                            + ": the record was rewritten between them; the earlier one is believed"));
        }
    }

    /** Compares an incident's events with the hashes the checkpoints hold, and checks the links after them. */
    private void chain(
            long incident, List<TimelineEvent> events, Map<Integer, String> expected, List<Finding> findings) {
        Map<Integer, TimelineEvent> bySeq = new HashMap<>();
        for (TimelineEvent e : events) {
            if (bySeq.putIfAbsent(e.seq(), e) != null) {
                findings.add(Finding.of(Kind.INSERTED, incident, e.seq(), "two events carry this sequence number"));
            }
        }
        int covered =
                expected.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        // The chain as it is stored, recomputed: where no checkpoint holds the previous hash, this one is used.
        Map<Integer, String> recomputed = new HashMap<>();
        String prev = Timeline.GENESIS;
        for (int s = 1;
                s
                        <= Math.max(
                                covered,
                                events.isEmpty()
                                        ? 0
                                        : events.get(events.size() - 1).seq());
                s++) {
            TimelineEvent e = bySeq.get(s);
            if (e == null) {
                break;
            }
            prev = eventHash.of(prev, s, e);
            recomputed.put(s, prev);
        }
        Map<Integer, Integer> movedFrom = new HashMap<>();
        List<Integer> broken = new ArrayList<>();
        Set<Integer> matched = new TreeSet<>();
        for (int s = 1; s <= covered; s++) {
            TimelineEvent e = bySeq.get(s);
            String want = expected.get(s);
            if (e == null || want == null) {
                continue;
            }
            if (eventHash.of(before(s, expected, recomputed), s, e).equals(want)) {
                matched.add(s);
            } else {
                broken.add(s);
            }
        }
        // Where covered events are disturbed, look for them elsewhere: under another number, or pushed past the end.
        List<Integer> searched = new ArrayList<>(broken);
        if (!broken.isEmpty() || expected.keySet().stream().anyMatch(t -> !bySeq.containsKey(t))) {
            events.stream().filter(e -> e.seq() > covered).forEach(e -> searched.add(e.seq()));
        }
        for (int s : searched) {
            if (searched.size() > MOVE_SEARCH_LIMIT) {
                break;
            }
            TimelineEvent e = bySeq.get(s);
            for (Map.Entry<Integer, String> want : expected.entrySet()) {
                int t = want.getKey();
                String prevOfT = t == 1 ? Timeline.GENESIS : expected.get(t - 1);
                if (t != s && prevOfT != null && eventHash.of(prevOfT, t, e).equals(want.getValue())) {
                    movedFrom.put(s, t);
                    matched.add(t);
                    break;
                }
            }
        }
        for (int s : searched) {
            Integer from = movedFrom.get(s);
            if (s > covered) {
                if (from != null) {
                    findings.add(Finding.of(
                            Kind.REORDERED, incident, s, "holds the event the checkpoint has as event " + from));
                }
            } else if (from != null) {
                findings.add(
                        Finding.of(Kind.REORDERED, incident, s, "holds the event the checkpoint has as event " + from));
            } else if (matched.contains(s)) {
                findings.add(Finding.of(
                        Kind.INSERTED,
                        incident,
                        s,
                        "an event the checkpoint does not hold sits here; " + "the one it holds moved"));
            } else {
                findings.add(Finding.of(
                        Kind.CHANGED,
                        incident,
                        s,
                        "differs from the event the checkpoint holds (" + describe(bySeq.get(s)) + ")"));
            }
        }
        for (int t : new TreeSet<>(expected.keySet())) {
            boolean hasRow = bySeq.containsKey(t);
            boolean rowIsOther = hasRow && movedFrom.containsKey(t);
            if (!matched.contains(t) && (!hasRow || rowIsOther) && expected.containsKey(t)) {
                findings.add(
                        Finding.of(Kind.REMOVED, incident, t, "the checkpoint holds this event; the record does not"));
            }
        }
        // Events after the newest checkpoint: no outside witness yet, but their links must still hold.
        String link = expected.getOrDefault(covered, covered == 0 ? Timeline.GENESIS : recomputed.get(covered));
        for (TimelineEvent e : events) {
            if (e.seq() <= covered) {
                continue;
            }
            if (link == null) {
                break;
            }
            if (movedFrom.containsKey(e.seq())) {
                link = e.hash();
                continue;
            }
            String h = eventHash.of(link, e.seq(), e);
            if (!e.prevHash().equals(link) || !h.equals(e.hash()) || (e.seq() > 1 && !bySeq.containsKey(e.seq() - 1))) {
                findings.add(Finding.of(
                        Kind.CHAIN_BROKEN,
                        incident,
                        e.seq(),
                        "its hash or link does not hold"
                                + (covered > 0 ? " (after checkpointed event " + covered + ")" : "")));
                break;
            }
            link = h;
        }
    }

    /** The hash of the event before {@code s}: the checkpoint's when it holds one, else the record's own. */
    private static String before(int s, Map<Integer, String> expected, Map<Integer, String> recomputed) {
        if (s == 1) {
            return Timeline.GENESIS;
        }
        return Optional.ofNullable(expected.get(s - 1))
                .or(() -> Optional.ofNullable(recomputed.get(s - 1)))
                .orElse("");
    }

    private static String describe(TimelineEvent e) {
        return e.kind() + " by " + e.actor() + " at " + e.at();
    }

    /** The row's severity, phase and commander must be what the events, oldest first, set them to. */
    private static void row(IncidentRow row, List<TimelineEvent> events, List<Finding> findings) {
        Optional<String> severity = Optional.empty();
        String phase = "DETECTED";
        String commander = null;
        for (TimelineEvent e : events) {
            JsonNode d = e.details();
            switch (e.kind()) {
                case "opened" -> {
                    severity = text(d, "severity");
                    commander = text(d, "commander").orElse(e.actor());
                }
                case "assessed", "severity_changed" -> severity = text(d, "to");
                case "phase_changed" -> phase = text(d, "to").orElse(phase);
                case "commander_changed" -> commander = text(d, "to").orElse(commander);
                default -> {}
            }
        }
        if (events.isEmpty()) {
            findings.add(Finding.of(Kind.ROW_MISMATCH, row.id(), "the incident has no events at all"));
            return;
        }
        if (!severity.equals(row.severity())) {
            findings.add(Finding.of(
                    Kind.ROW_MISMATCH,
                    row.id(),
                    "severity is " + row.severity().orElse("not assessed") + " but its events say "
                            + severity.orElse("not assessed")));
        }
        if (!phase.equals(row.phase())) {
            findings.add(Finding.of(
                    Kind.ROW_MISMATCH, row.id(), "phase is " + row.phase() + " but its events say " + phase));
        }
        if (!Objects.equals(commander, row.commander())) {
            findings.add(Finding.of(
                    Kind.ROW_MISMATCH,
                    row.id(),
                    "commander is " + row.commander() + " but its events say " + commander));
        }
    }

    /** Each run's state must be one its events allow, and every run the events name must exist, and the reverse. */
    private static void runs(long incident, List<TimelineEvent> events, List<RunRow> runs, List<Finding> findings) {
        Map<String, Set<String>> allowed = new HashMap<>();
        Set<String> open = Set.of("PENDING_APPROVAL", "QUEUED", "RUNNING");
        for (TimelineEvent e : events) {
            Optional<String> run = text(e.details(), "run");
            if (run.isEmpty() || !e.kind().startsWith("containment_")) {
                continue;
            }
            switch (e.kind()) {
                case "containment_requested", "containment_approved" -> allowed.put(run.get(), open);
                case "containment_denied" -> allowed.put(run.get(), Set.of("DENIED"));
                case "containment_approval_expired" -> allowed.put(run.get(), Set.of("EXPIRED"));
                case "containment_succeeded" -> allowed.put(run.get(), Set.of("SUCCEEDED"));
                case "containment_failed" -> allowed.put(run.get(), Set.of("FAILED"));
                case "containment_undone" -> allowed.put(run.get(), Set.of("UNDONE"));
                default -> allowed.putIfAbsent(run.get(), open);
            }
        }
        for (RunRow run : runs) {
            Set<String> states = allowed.remove(run.id());
            if (states == null) {
                findings.add(Finding.of(
                        Kind.CONTAINMENT_MISMATCH,
                        incident,
                        "containment run " + run.id() + " is stored but no event records it"));
            } else if (!states.contains(run.state())) {
                findings.add(Finding.of(
                        Kind.CONTAINMENT_MISMATCH,
                        incident,
                        "containment run " + run.id() + " is " + run.state() + " but its events say "
                                + String.join(" or ", new TreeSet<>(states))));
            }
        }
        allowed.keySet().stream()
                .sorted()
                .forEach(id -> findings.add(Finding.of(
                        Kind.CONTAINMENT_MISMATCH,
                        incident,
                        "the events record containment run " + id + " but it is not stored")));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
