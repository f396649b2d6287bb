package io.firebreak.storage.evidence;

import java.util.Optional;

/**
 * One response body of a snapshot, byte for byte.
 *
 * @param part      1 for the first response of the fetch, then 2, 3, … (pages, the trace tree)
 * @param url       the request URL, without credentials
 * @param truncated the response was longer than what was left of the size limit
 */
public record RawPart(
        int part,
        String method,
        String url,
        int status,
        Optional<String> contentType,
        byte[] body,
        String sha256,
        boolean truncated) {}
