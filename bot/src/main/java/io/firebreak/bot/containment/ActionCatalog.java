package io.firebreak.bot.containment;

import java.util.List;
import java.util.Optional;

/**
 * The containment actions responders may fire, read and validated from the catalog file at start-up.
 *
 * @param source where it was read from, for messages
 */
public record ActionCatalog(String source, List<Target> targets, List<ContainmentAction> actions) {

    public ActionCatalog {
        targets = List.copyOf(targets);
        actions = List.copyOf(actions);
    }

    public Optional<ContainmentAction> find(String id) {
        return actions.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The action's title, or its id when the catalog no longer has it (a run fired before the catalog changed). */
    public String title(String actionId) {
        return find(actionId).map(ContainmentAction::title).orElse(actionId);
    }

    /** The action ids, for "use one of …" messages. */
    public String ids() {
        return String.join(", ", actions.stream().map(ContainmentAction::id).toList());
    }
}
