package io.firebreak.bot.platform.config;

import io.firebreak.bot.access.ApiToken;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use Firebreak, beyond {@code FIREBREAK_RESPONDERS}.
 *
 * @param workspaces          {@code FIREBREAK_TEAM_ID}: the installation's workspace and any other allowed ones
 *                            (T… IDs); people from other workspaces (Slack Connect) are refused. Empty means not
 *                            checked: only the local quick start and tests leave it out
 * @param privateResponders   {@code FIREBREAK_PRIVATE_RESPONDERS}: user and user-group IDs who see private incidents
 * @param respondersGenerated true when no {@code FIREBREAK_RESPONDERS} was set and the local quick start's user was
 *                            made the responder (only with a generated signing secret, when only the local client
 *                            can reach the bot)
 * @param apiTokens           the read API's tokens: {@code FIREBREAK_API_TOKENS}, and {@code FIREBREAK_API_TOKEN} as a
 *                            token with every read scope but {@code private:read}
 * @param legacyTeamId        {@code FIREBREAK_LEGACY_TEAM_ID}: with several workspaces (OAuth installs), the workspace
 *                            that adopts the incidents stored before workspaces were kept (the one the single token
 *                            served); unset, they are seen by no workspace
 */
public record AccessSettings(
        Set<String> workspaces,
        List<String> privateResponders,
        boolean respondersGenerated,
        List<ApiToken> apiTokens,
        Optional<String> legacyTeamId) {
    /** The user the local client ({@code firebreak slack …}) sends commands as. */
    public static final String LOCAL_USER = "U0LOCAL01";
    /** The workspace the local client's commands come from. */
    public static final String LOCAL_TEAM = "T0LOCAL01";

    public AccessSettings {
        workspaces = Set.copyOf(workspaces);
        privateResponders = List.copyOf(privateResponders);
        apiTokens = List.copyOf(apiTokens);
    }

    public AccessSettings(
            Set<String> workspaces,
            List<String> privateResponders,
            boolean respondersGenerated,
            List<ApiToken> apiTokens) {
        this(workspaces, privateResponders, respondersGenerated, apiTokens, Optional.empty());
    }

    /** Nothing beyond the defaults: no workspace check, no security group. */
    public static AccessSettings none() {
        return new AccessSettings(Set.of(), List.of(), false, List.of());
    }
}
