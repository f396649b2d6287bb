package io.firebreak.bot.signals;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.List;
import java.util.Optional;

/**
 * Where a generic source's fields are, as JSON Pointers (RFC 6901) into each alert.
 *
 * @param alerts         the array of alerts in the body; empty means the body is one alert
 * @param status         the alert's status; a value in {@code resolvedValues} means resolved, anything else firing
 * @param resolvedValues status values that mean resolved, lower case
 * @param labels         an object of labels (values read as text), or an array of {@code key:value} strings
 */
public record GenericMapping(
        Optional<JsonPointer> alerts,
        JsonPointer title,
        Optional<JsonPointer> fingerprint,
        Optional<JsonPointer> status,
        List<String> resolvedValues,
        Optional<JsonPointer> severity,
        Optional<JsonPointer> workflow,
        Optional<JsonPointer> runId,
        Optional<JsonPointer> labels) {
    public GenericMapping {
        resolvedValues = List.copyOf(resolvedValues);
    }
}
