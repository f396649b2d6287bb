package io.firebreak.storage.evidence;

import java.time.Instant;
import java.util.Optional;

/**
 * One request to fetch a run's trace.
 *
 * @param attempts      calls made to the backend so far
 * @param lastProblem   why the last attempt did not succeed, in words
 * @param nextAttemptAt when a pending fetch will try again after a failure
 * @param unchangedSince the snapshot a successful fetch found byte-identical, so it stored nothing new
 */
public record EvidenceFetch(
        long id,
        long attachmentId,
        TraceSource source,
        String requestedBy,
        Instant requestedAt,
        FetchState state,
        int attempts,
        Optional<String> lastProblem,
        Optional<Instant> nextAttemptAt,
        Optional<Instant> finishedAt,
        Optional<Integer> unchangedSince) {}
