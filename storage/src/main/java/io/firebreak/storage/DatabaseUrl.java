package io.firebreak.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL location as JDBC wants it, parsed from either {@code postgres://user:pass@host:port/db}
 * (the form hosting platforms hand out) or {@code jdbc:postgresql://host:port/db?user=…}.
 *
 * <p>{@link #toString()} and {@link #describe()} never include the password.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    /** Parses {@code raw}, or throws {@link IllegalArgumentException} with a message that omits the password. */
    public static DatabaseUrl parse(String raw) {
        String value = raw.trim();
        if (value.startsWith("jdbc:postgresql://")) {
            URI uri = uri(value.substring("jdbc:".length()));
            Map<String, String> query = query(uri.getRawQuery());
            return new DatabaseUrl(
                    value, Optional.ofNullable(query.get("user")), Optional.ofNullable(query.get("password")));
        }
        if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
            URI uri = uri(value);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("has no host");
            }
            String database = uri.getPath() == null || uri.getPath().length() <= 1
                    ? "postgres"
                    : uri.getPath().substring(1);
            String port = uri.getPort() == -1 ? "5432" : String.valueOf(uri.getPort());
            String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = Optional.of(decode(parts[0]));
                password = parts.length == 2 ? Optional.of(decode(parts[1])) : Optional.empty();
            }
            return new DatabaseUrl(jdbc, user, password);
        }
        throw new IllegalArgumentException("must start with postgres://, postgresql:// or jdbc:postgresql://");
    }

    /** Where the database is, for logs and health output: host, port, database and user, never a password. */
    public String describe() {
        URI uri = uri(jdbcUrl.substring("jdbc:".length()));
        return "postgresql://" + user.map(u -> u + "@").orElse("") + uri.getHost()
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + uri.getPath();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static URI uri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            // The reason from URISyntaxException quotes the input, which may hold a password.
            throw new IllegalArgumentException("is not a valid URL");
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            result.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
        }
        return result;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
