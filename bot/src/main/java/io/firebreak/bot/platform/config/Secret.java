package io.firebreak.bot.platform.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A credential that never prints itself: {@link #toString()} is a mask, so it cannot leak into a log line. */
public record Secret(String value) {

    public Secret {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
    }

    /** Compares in constant time, so response timing reveals nothing about the secret. */
    public boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
