package io.firebreak.bot.slack;

import io.firebreak.bot.access.Action;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which action of the access policy each of a feature's Slack controls asks for: its slash subcommands (by word),
 * buttons and menus (by {@code action_id}), modals (by {@code callback_id}) and shortcuts (by {@code callback_id}).
 * A feature declares its own; a control nobody declared is decided as {@link Action#OTHER_CHANGE} (responders
 * only), so a forgotten row fails closed.
 */
public record AccessMap(
        Map<String, Action> subcommands,
        Map<String, Action> blockActions,
        Map<String, Action> views,
        Map<String, Action> shortcuts) {

    public static final AccessMap EMPTY = new AccessMap(Map.of(), Map.of(), Map.of(), Map.of());

    public AccessMap {
        subcommands = Map.copyOf(subcommands);
        blockActions = Map.copyOf(blockActions);
        views = Map.copyOf(views);
        shortcuts = Map.copyOf(shortcuts);
    }

    /** Every feature's map in one. Two features may not claim one control for different actions. */
    public static AccessMap merge(Collection<AccessMap> maps) {
        Map<String, Action> subcommands = new LinkedHashMap<>();
        Map<String, Action> blockActions = new LinkedHashMap<>();
        Map<String, Action> views = new LinkedHashMap<>();
        Map<String, Action> shortcuts = new LinkedHashMap<>();
        for (AccessMap map : maps) {
            putAll(subcommands, map.subcommands(), "subcommand");
            putAll(blockActions, map.blockActions(), "action_id");
            putAll(views, map.views(), "view callback_id");
            putAll(shortcuts, map.shortcuts(), "shortcut callback_id");
        }
        return new AccessMap(subcommands, blockActions, views, shortcuts);
    }

    private static void putAll(Map<String, Action> into, Map<String, Action> from, String what) {
        from.forEach((id, action) -> {
            Action before = into.putIfAbsent(id, action);
            if (before != null && before != action) {
                throw new IllegalArgumentException(
                        what + " " + id + " is declared as both " + before + " and " + action);
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds one feature's map. */
    public static final class Builder {
        private final Map<String, Action> subcommands = new LinkedHashMap<>();
        private final Map<String, Action> blockActions = new LinkedHashMap<>();
        private final Map<String, Action> views = new LinkedHashMap<>();
        private final Map<String, Action> shortcuts = new LinkedHashMap<>();

        private Builder() {}

        public Builder subcommand(String word, Action action) {
            subcommands.put(word, action);
            return this;
        }

        public Builder blockAction(String actionId, Action action) {
            blockActions.put(actionId, action);
            return this;
        }

        public Builder view(String callbackId, Action action) {
            views.put(callbackId, action);
            return this;
        }

        public Builder shortcut(String callbackId, Action action) {
            shortcuts.put(callbackId, action);
            return this;
        }

        public AccessMap build() {
            return new AccessMap(subcommands, blockActions, views, shortcuts);
        }
    }
}
