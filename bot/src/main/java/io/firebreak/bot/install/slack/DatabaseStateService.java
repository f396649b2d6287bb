package io.firebreak.bot.install.slack;

import com.slack.api.bolt.service.OAuthStateService;
import io.firebreak.bot.install.InstallStates;

/**
 * Bolt's OAuth state, kept in PostgreSQL so every replica can finish an install. Bolt checks the state in the redirect
 * against the browser's cookie, then asks {@link #isAvailableInDatabase}: that takes the state there and then, in one
 * statement, so a replayed or simultaneous second use fails even though Bolt would only consume it after Slack answered.
 */
final class DatabaseStateService implements OAuthStateService {
    private final InstallStates states;

    DatabaseStateService(InstallStates states) {
        this.states = states;
    }

    @Override
    public void addNewStateToDatastore(String state) {
        states.issue(state);
    }

    @Override
    public boolean isAvailableInDatabase(String state) {
        return states.take(state);
    }

    /** Already taken by {@link #isAvailableInDatabase}; Bolt's consume only clears the browser's cookie. */
    @Override
    public void deleteStateFromDatastore(String state) {}

    @Override
    public long getExpirationInSeconds() {
        return InstallStates.LIFETIME.toSeconds();
    }
}
