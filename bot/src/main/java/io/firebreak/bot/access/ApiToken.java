package io.firebreak.bot.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * One read-API token, kept only as the SHA-256 of its value: the configuration holds no token, and a token presented
 * is hashed and compared in constant time.
 *
 * @param name   a label for logs and errors, e.g. {@code dashboard}; never the token
 * @param sha256 the token's SHA-256, 64 lower-case hex digits
 * @param scopes what it may read
 * @param team   the workspace whose incidents it reads ({@code name@T…} in {@code FIREBREAK_API_TOKENS}); see
 *               {@link Tenancy#readableWith}
 */
public record ApiToken(String name, String sha256, Set<ApiScope> scopes, Optional<String> team) {
    public ApiToken {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        team = team.filter(t -> !t.isBlank());
    }

    /** A token of the single workspace. */
    public ApiToken(String name, String sha256, Set<ApiScope> scopes) {
        this(name, sha256, scopes, Optional.empty());
    }

    /** The SHA-256 of {@code token}, as {@code FIREBREAK_API_TOKENS} holds it ({@code printf %s "$TOKEN" | sha256sum}). */
    public static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** True when {@code presentedHash} (of a presented token) is this token's, compared in constant time. */
    boolean matchesHash(String presentedHash) {
        return MessageDigest.isEqual(
                sha256.getBytes(StandardCharsets.US_ASCII), presentedHash.getBytes(StandardCharsets.US_ASCII));
    }

    public boolean has(ApiScope scope) {
        return scopes.contains(scope);
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + team.map(t -> "@" + t).orElse("") + ", " + scopes + "]";
    }
}
