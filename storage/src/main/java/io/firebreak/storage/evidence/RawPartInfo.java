package io.firebreak.storage.evidence;

import java.util.Optional;

/**
 * What is known of a stored raw response without its body: enough to describe it and to stream it in slices.
 *
 * @param snapshotId the snapshot the part belongs to
 * @param bytes      the body's length
 */
public record RawPartInfo(
        long snapshotId,
        int part,
        String method,
        String url,
        int status,
        Optional<String> contentType,
        long bytes,
        String sha256,
        boolean truncated) {}
