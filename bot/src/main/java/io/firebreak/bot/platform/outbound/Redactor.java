package io.firebreak.bot.platform.outbound;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes credentials from what Firebreak records or shows: known secret values wherever they appear, the
 * values of credential headers, and anything shaped like a common token.
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";
    private static final Set<String> SECRET_HEADERS = Set.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
            "x-api-key",
            "api-key",
            "x-auth-token",
            "x-slack-signature",
            "x-firebreak-signature");
    private static final Pattern TOKEN_SHAPES = Pattern.compile(
            "(xox[abposre]-[A-Za-z0-9-]{6,})" // Slack bot, user, legacy and refresh tokens
                    + "|(xapp-[A-Za-z0-9-]{6,})" // Slack app-level tokens
                    + "|((?:sk|pk)-(?:lf-|proj-|live-|test-|ant-)?[A-Za-z0-9_-]{12,})" // Langfuse, OpenAI, Anthropic
                    // keys
                    + "|(lsv2_[A-Za-z0-9_]{12,})" // LangSmith keys
                    + "|((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,})" // Stripe-style secret keys
                    + "|(gh[pousr]_[A-Za-z0-9]{20,})" // GitHub tokens
                    + "|(github_pat_[A-Za-z0-9_]{20,})" // GitHub fine-grained tokens
                    + "|((?:AKIA|ASIA)[0-9A-Z]{16})" // AWS access key ids
                    + "|(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)" // JWTs
                    // Credentials in text: a word after "Bearer" or "Basic" counts when it has a digit or a symbol in
                    // it, or 20 letters, so prose ("Bearer authentication broke") stays readable.
                    + "|((?i:bearer|basic)\\s+(?=[A-Za-z]*[0-9._~+/=_-]|[A-Za-z]{20})[A-Za-z0-9._~+/=_-]{8,})"
                    + "|(-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----)");

    private Redactor() {}

    /** {@code text} with each of {@code secrets} and each token-shaped string replaced by {@link #MASK}. */
    public static String redact(String text, Set<String> secrets) {
        String out = text;
        for (String secret : secrets.stream()
                .filter(s -> s != null && s.length() >= 4)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList()) {
            out = out.replace(secret, MASK);
        }
        return mayHoldToken(out) ? TOKEN_SHAPES.matcher(out).replaceAll(MASK) : out;
    }

    /**
     * Every token shape starts with one of these; a text holding none of them (most cards, notes and answers) skips
     * the pattern, whose many branches are tried at every position (a fifth of the card job's CPU in bench/run).
     */
    private static final String[] TOKEN_STARTS = {
        "xox",
        "xapp-",
        "sk-",
        "pk-",
        "lsv2_",
        "sk_",
        "rk_",
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "AKIA",
        "ASIA",
        "eyJ",
        "-----BEGIN"
    };

    static boolean mayHoldToken(String text) {
        for (String start : TOKEN_STARTS) {
            if (text.contains(start)) {
                return true;
            }
        }
        // "Bearer" and "Basic" in any case.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == 'b' || c == 'B')
                    && (text.regionMatches(true, i, "bearer", 0, 6) || text.regionMatches(true, i, "basic", 0, 5))) {
                return true;
            }
        }
        return false;
    }

    /** Token-shaped strings masked, for text that came from outside (a trace, a user's note). */
    public static String redact(String text) {
        return redact(text, Set.of());
    }

    /** Headers safe to record: credential headers masked, secrets removed from the rest. */
    public static Map<String, String> headers(Map<String, String> headers, Set<String> secrets) {
        Map<String, String> safe = new LinkedHashMap<>();
        headers.forEach((name, value) ->
                safe.put(name, SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? MASK : redact(value, secrets)));
        return safe;
    }
}
