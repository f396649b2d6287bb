package io.firebreak.bot.platform.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Installing Firebreak into any number of Slack workspaces through Slack's OAuth v2 flow ({@code /slack/install}),
 * instead of the one workspace of {@code SLACK_BOT_TOKEN}.
 *
 * @param clientId     {@code SLACK_CLIENT_ID}, from the Slack app's Basic Information
 * @param clientSecret {@code SLACK_CLIENT_SECRET}, from the same page
 * @param tokenKey     {@code FIREBREAK_TOKEN_KEY}: 32 random bytes, base64, that encrypt the stored bot tokens
 */
public record OAuthSettings(String clientId, Secret clientSecret, Secret tokenKey) {
    /** The variables that turn OAuth install on, all three together. */
    public static final List<String> VARIABLES =
            List.of("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "FIREBREAK_TOKEN_KEY");
    /** Bytes of an AES-256 key. */
    public static final int KEY_BYTES = 32;

    private static final Pattern CLIENT_ID = Pattern.compile("[0-9]+\\.[0-9]+");
    private static final Pattern CLIENT_SECRET = Pattern.compile("[A-Za-z0-9]{16,128}");

    /** The token key's bytes (validated when the settings were read). */
    public byte[] tokenKeyBytes() {
        return Base64.getDecoder().decode(tokenKey.value());
    }

    /**
     * Reads the settings with {@code get} (a trimmed, non-empty variable or empty): empty when none of the three is set,
     * one line per problem in {@code problems} otherwise, naming the variable and never its value.
     */
    static Optional<OAuthSettings> read(Function<String, Optional<String>> get, List<String> problems) {
        List<String> missing = new ArrayList<>();
        VARIABLES.forEach(name -> {
            if (get.apply(name).isEmpty()) {
                missing.add(name);
            }
        });
        if (missing.size() == VARIABLES.size()) {
            return Optional.empty();
        }
        int before = problems.size();
        if (!missing.isEmpty()) {
            problems.add("installing through OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and FIREBREAK_TOKEN_KEY"
                    + " together; missing: " + String.join(", ", missing));
        }
        Optional<String> clientId = get.apply("SLACK_CLIENT_ID");
        if (clientId.filter(id -> !CLIENT_ID.matcher(id).matches()).isPresent()) {
            problems.add("SLACK_CLIENT_ID must be the Client ID from your Slack app's Basic Information, such as"
                    + " 2141029472.691202649728");
        }
        Optional<String> clientSecret = get.apply("SLACK_CLIENT_SECRET");
        if (clientSecret.filter(s -> !CLIENT_SECRET.matcher(s).matches()).isPresent()) {
            problems.add("SLACK_CLIENT_SECRET must be the Client Secret from your Slack app's Basic Information"
                    + " (letters and digits)");
        }
        Optional<String> key = get.apply("FIREBREAK_TOKEN_KEY");
        if (key.filter(k -> !isKey(k)).isPresent()) {
            problems.add(
                    "FIREBREAK_TOKEN_KEY must be 32 random bytes in base64 (make one with: openssl rand -base64 32)");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new OAuthSettings(clientId.get(), new Secret(clientSecret.get()), new Secret(key.get())));
    }

    private static boolean isKey(String value) {
        try {
            return Base64.getDecoder().decode(value).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "OAuthSettings[clientId=" + clientId + ", clientSecret=****, tokenKey=****]";
    }
}
