package io.firebreak.bot.incident;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import java.util.List;

/** What must be true before an incident may close, as a checklist. */
@FunctionalInterface
public interface CloseGate {

    /** One line of the checklist. */
    record Item(String label, boolean done, String detail) {}

    /** The checklist for {@code incident}, read in the caller's transaction. */
    List<Item> checklist(Storage.Tx tx, Incident incident);

    /** The checklist as mrkdwn lines: a tick or a cross, the label, and what is missing. */
    static String render(List<Item> items) {
        StringBuilder out = new StringBuilder();
        for (Item item : items) {
            out.append(item.done() ? ":white_check_mark: " : ":x: ").append(item.label());
            if (!item.detail().isBlank()) {
                out.append(" — ").append(item.detail());
            }
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** A gate with nothing to check. */
    static CloseGate open() {
        return (tx, incident) -> List.of();
    }
}
