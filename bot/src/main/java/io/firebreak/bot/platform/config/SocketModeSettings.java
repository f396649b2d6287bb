package io.firebreak.bot.platform.config;

import java.util.Optional;

/**
 * Slack's Socket Mode: with an app-level token, Slack's requests arrive over WebSockets this bot opens, and no
 * inbound URL is needed for Slack.
 *
 * @param appToken    {@code SLACK_APP_TOKEN}, the {@code xapp-} token; empty means HTTP mode ({@code /slack/events})
 * @param connections {@code FIREBREAK_SOCKET_CONNECTIONS}: WebSockets kept open at once, so one being replaced or
 *                    lost does not stop Slack's requests (Slack allows 10 per app, across replicas)
 */
public record SocketModeSettings(Optional<Secret> appToken, int connections) {
    /** Connections by default: two, so a refresh or a dropped socket leaves one open. */
    public static final int DEFAULT_CONNECTIONS = 2;
    /** Slack's limit on open Socket Mode connections per app. */
    public static final int MAX_CONNECTIONS = 10;

    /** HTTP mode. */
    public static SocketModeSettings off() {
        return new SocketModeSettings(Optional.empty(), DEFAULT_CONNECTIONS);
    }

    public boolean enabled() {
        return appToken.isPresent();
    }
}
