package io.firebreak.bot.slack;

/**
 * A button on the incident card. Its value is the incident key; the handler registered for {@code actionId}
 * acts on the incident's current state.
 *
 * @param actionId stable: posted cards keep it, so never rename one
 * @param order    position among the card's buttons, lowest first
 */
public record CardButton(String actionId, String label, int order) {}
