package io.firebreak.storage.evidence;

import java.time.Instant;
import java.util.Optional;

/**
 * Frozen evidence of one run: what one fetch returned, never changed afterwards.
 *
 * @param seq        1 for a run's first snapshot, then 2, 3, …
 * @param sha256     SHA-256 of the raw bytes of every part in part order
 * @param bytes      raw bytes stored, all parts together
 * @param truncated  a response was longer than the size limit and was stored up to it
 * @param normalized the evidence fields as JSON text, as stored
 * @param changes    what changed since the previous snapshot, as JSON text; empty for the first
 */
public record EvidenceSnapshot(
        long id,
        long attachmentId,
        long fetchId,
        int seq,
        TraceSource source,
        Instant fetchedAt,
        String sha256,
        long bytes,
        boolean truncated,
        ParseStatus parseStatus,
        String normalized,
        Optional<String> changes) {}
