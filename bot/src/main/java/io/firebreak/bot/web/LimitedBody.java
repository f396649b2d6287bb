package io.firebreak.bot.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a request body up to a limit, never more: a declared length over it is refused before reading, and a body
 * that turns out longer is refused after reading one byte past it. For {@code /reports} and {@code /signals}.
 */
public final class LimitedBody {
    private LimitedBody() {}

    /** The body, or empty when it is longer than {@code max} bytes (answer 413). */
    public static Optional<byte[]> read(HttpServletRequest req, int max) throws IOException {
        if (req.getContentLengthLong() > max) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(max + 1);
        }
        return bytes.length > max ? Optional.empty() : Optional.of(bytes);
    }
}
