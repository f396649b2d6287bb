package io.firebreak.bot.access;

import java.util.List;
import java.util.Optional;

/** The read API's tokens: finds the one presented, comparing hashes in constant time against every token. */
public final class ApiTokens {
    private final List<ApiToken> tokens;

    public ApiTokens(List<ApiToken> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The token {@code presented} is, if any. Every token is compared, so timing says nothing about which matched. */
    public Optional<ApiToken> find(String presented) {
        String hash = ApiToken.hash(presented);
        Optional<ApiToken> found = Optional.empty();
        for (ApiToken token : tokens) {
            if (token.matchesHash(hash) && found.isEmpty()) {
                found = Optional.of(token);
            }
        }
        return found;
    }
}
