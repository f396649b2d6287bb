package io.firebreak.storage.capture;

import java.time.Instant;
import java.util.Optional;

/** A message someone wants captured, kept while they pick the incident. */
public record CaptureDraft(
        long id,
        String channelId,
        String messageTs,
        String author,
        String text,
        Optional<String> threadTs,
        String requestedBy,
        Optional<String> responseUrl,
        Instant createdAt) {}
