package io.firebreak.storage.capture;

import java.time.Instant;
import java.util.Optional;

/**
 * A request to put one chat message on an incident's timeline.
 *
 * @param attempt      which request this is for the message; each runs its own job
 * @param tries        transient failures of this attempt so far
 * @param author       who wrote the message, once known
 * @param text         the message text, credentials already masked, once known
 * @param threadTs     the thread the message is a reply in, if any
 * @param permalink    the message's link, once captured (may stay empty if Slack gave none)
 * @param responseUrl  where to tell the requester how it went, for a shortcut
 * @param problem      why it failed, when it did
 * @param capturedSeq  the timeline event that captured it
 */
public record Capture(
        long id,
        long incidentId,
        String channelId,
        String messageTs,
        CaptureMethod method,
        String requestedBy,
        Instant requestedAt,
        CaptureState state,
        int attempt,
        int tries,
        Optional<String> author,
        Optional<String> text,
        Optional<String> threadTs,
        Optional<String> permalink,
        Optional<String> responseUrl,
        Optional<String> problem,
        Optional<Integer> capturedSeq) {}
