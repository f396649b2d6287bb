package io.firebreak.bot.evidence;

import io.firebreak.storage.evidence.FailurePoint;

/**
 * A failure point the evidence points to. Only ever shown: a person decides.
 *
 * @param reason what in the evidence suggests it, e.g. {@code tool refund failed: amount must be positive}
 * @param from   where in the trace
 */
public record Suggestion(FailurePoint point, String reason, String from) {}
