package io.firebreak.bot.bench;

import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.storage.incident.IncidentKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * What Firebreak acknowledged during the load (incidents opened, notes added, incidents resolved), and the check,
 * afterwards, that the database holds each of them exactly once and that every incident's hash chain verifies.
 */
final class Ledger {
    private static final Pattern OPENED = Pattern.compile("Opened \\*INC-(\\d+)\\*");

    private final Map<Long, String> opened = new ConcurrentHashMap<>();
    private final List<Long> openedInOrder = new ArrayList<>();
    private final Map<String, Long> notes = new ConcurrentHashMap<>();
    private final Set<Long> resolved = ConcurrentHashMap.newKeySet();

    /** True when {@code ack} is the answer Firebreak gives when it did what {@code request} asked; records what it did. */
    boolean acked(LoadKind kind, LoadDriver.Request request, String ack) {
        switch (kind) {
            case OPEN -> {
                Matcher key = OPENED.matcher(ack);
                if (!key.find()) {
                    return false;
                }
                long id = Long.parseLong(key.group(1));
                opened.put(id, LoadKind.title(request.seq()));
                synchronized (openedInOrder) {
                    openedInOrder.add(id);
                }
            }
            case NOTE -> {
                if (!ack.contains("Note added to INC-" + request.incident() + ".")) {
                    return false;
                }
                notes.put(LoadKind.note(kind, request.seq()), request.incident());
            }
            case SHOW -> {
                return ack.contains("\"blocks\"") && ack.contains("INC-" + request.incident());
            }
            case RESOLVE -> {
                if (!ack.isEmpty()) {
                    return false;
                }
                resolved.add(request.incident());
            }
            case NOTE_MODAL -> {
                if (!ack.isEmpty()) {
                    return false;
                }
                notes.put(LoadKind.note(kind, request.seq()), request.incident());
            }
        }
        return true;
    }

    /** The {@code n}th incident opened under load (round robin), or {@code fallback} when none was. */
    long openedIncident(long n, long fallback) {
        synchronized (openedInOrder) {
            return openedInOrder.isEmpty() ? fallback : openedInOrder.get((int) (n % openedInOrder.size()));
        }
    }

    /** What the check found. */
    record Check(List<String> lines, boolean ok) {}

    /**
     * Compares the database with what was acked: every acked open is one incident with one {@code opened} event, every
     * acked note one {@code note} event on its incident, every clicked incident one move to RESOLVED; and recomputes
     * every incident's hash chain.
     */
    Check check(Jdbi db, IncidentService incidents) {
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        Map<Long, String> titles = new HashMap<>();
        Map<String, Integer> titleCounts = new HashMap<>();
        db.withHandle(h -> h.select("select id, title from incident")
                        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                        .list())
                .forEach(e -> {
                    titles.put(e.getKey(), e.getValue());
                    titleCounts.merge(e.getValue(), 1, Integer::sum);
                });
        Map<Long, Integer> openedEvents = countByIncident(db, "kind = '" + EventKinds.OPENED + "'");
        long lostOpens = opened.entrySet().stream()
                .filter(e -> !e.getValue().equals(titles.get(e.getKey())))
                .count();
        long duplicateIncidents = titleCounts.entrySet().stream()
                .filter(e -> LoadKind.ours(e.getKey()) && e.getValue() > 1)
                .count();
        long wrongOpenedEvents = titles.keySet().stream()
                .filter(id -> openedEvents.getOrDefault(id, 0) != 1)
                .count();
        long unacked = titles.entrySet().stream()
                .filter(e -> LoadKind.ours(e.getValue()) && !opened.containsKey(e.getKey()))
                .count();
        lines.add(String.format(
                "open:    %,d acked; %d lost, %d titles stored twice, %d incidents without exactly one opened event; "
                        + "%d stored whose ack was not received",
                opened.size(), lostOpens, duplicateIncidents, wrongOpenedEvents, unacked));
        if (lostOpens + duplicateIncidents + wrongOpenedEvents > 0) {
            problems.add("open");
        }

        Map<String, Integer> stored = new HashMap<>();
        Map<String, Long> storedOn = new HashMap<>();
        db.withHandle(h -> h.select(
                                "select incident_id, details->>'text' from timeline_event where kind = ?",
                                EventKinds.NOTE)
                        .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getLong(1)))
                        .list())
                .forEach(e -> {
                    stored.merge(e.getKey(), 1, Integer::sum);
                    storedOn.put(e.getKey(), e.getValue());
                });
        long lostNotes = notes.entrySet().stream()
                .filter(e -> !e.getValue().equals(storedOn.get(e.getKey())))
                .count();
        long duplicateNotes = stored.entrySet().stream()
                .filter(e -> LoadKind.ours(e.getKey()) && e.getValue() > 1)
                .count();
        long unackedNotes = stored.keySet().stream()
                .filter(t -> LoadKind.ours(t) && !notes.containsKey(t))
                .count();
        lines.add(String.format(
                "note:    %,d acked (command and modal); %d lost, %d stored twice; %d stored whose ack was not received",
                notes.size(), lostNotes, duplicateNotes, unackedNotes));
        if (lostNotes + duplicateNotes > 0) {
            problems.add("note");
        }

        Map<Long, Integer> resolvedEvents =
                countByIncident(db, "kind = '" + EventKinds.PHASE_CHANGED + "' and details->>'to' = 'RESOLVED'");
        long unresolved = resolved.stream()
                .filter(id -> resolvedEvents.getOrDefault(id, 0) == 0)
                .count();
        long resolvedTwice = resolvedEvents.values().stream().filter(n -> n > 1).count();
        long resolvedUnclicked = resolvedEvents.keySet().stream()
                .filter(id -> !resolved.contains(id))
                .count();
        lines.add(String.format(
                "resolve: %,d incidents clicked; %d not resolved, %d resolved twice, %d resolved without an acked click",
                resolved.size(), unresolved, resolvedTwice, resolvedUnclicked));
        if (unresolved + resolvedTwice > 0) {
            problems.add("resolve");
        }

        long broken = 0;
        long events = 0;
        for (long id : titles.keySet()) {
            var verification = incidents.verify(new IncidentKey(id)).orElseThrow();
            events += verification.events();
            if (!verification.ok()) {
                broken++;
                if (broken <= 3) {
                    lines.add("  INC-" + id + " chain broken: "
                            + verification.firstBroken().orElseThrow());
                }
            }
        }
        lines.add(String.format(
                "chains:  %,d incidents, %,d timeline events recomputed; %d chains broken",
                titles.size(), events, broken));
        if (broken > 0) {
            problems.add("chains");
        }
        long noCard = db.withHandle(h -> h.select("select count(*) from incident where card_ts is null")
                .mapTo(Long.class)
                .one());
        lines.add(String.format(
                "cards:   %,d of %,d incidents have their card posted to Slack (a durable job after the ack)",
                titles.size() - noCard, titles.size()));
        lines.add(
                problems.isEmpty()
                        ? "integrity: OK, nothing lost or duplicated, every chain verifies"
                        : "integrity: FAILED (" + String.join(", ", problems) + ")");
        return new Check(lines, problems.isEmpty());
    }

    private static Map<Long, Integer> countByIncident(Jdbi db, String where) {
        Map<Long, Integer> counts = new HashMap<>();
        db.withHandle(h -> h.select("select incident_id, count(*) from timeline_event where " + where
                                + " group by incident_id")
                        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                        .list())
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }
}
