package io.firebreak.bot.slack;

import com.slack.api.bolt.App;
import java.util.List;

/**
 * What one feature adds to the Slack app: words after the slash command, and Bolt listeners for its buttons,
 * modals and events. Handlers parse and render; decisions stay in the feature's service.
 */
public interface SlackFeature {

    /** Subcommands of the slash command, in the order help lists them. */
    default List<Subcommand> subcommands() {
        return List.of();
    }

    /** Registers block actions, view submissions, shortcuts and events on {@code app}. */
    default void register(App app) {}

    /** Which access-policy action each of its subcommands, buttons, modals and shortcuts asks for. */
    default AccessMap access() {
        return AccessMap.EMPTY;
    }
}
