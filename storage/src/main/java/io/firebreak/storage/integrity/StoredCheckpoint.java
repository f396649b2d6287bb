package io.firebreak.storage.integrity;

import java.time.Instant;

/**
 * A checkpoint as the bot keeps it.
 *
 * @param document the published checkpoint file, byte for byte
 * @param digest   SHA-256 of its signed statement
 */
public record StoredCheckpoint(long number, Instant madeAt, String document, String digest) {}
