package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One step of a run (a Langfuse observation, a LangSmith run, an OTel span) in the shape the evidence is read
 * from.
 *
 * @param type        the backend's own type, e.g. {@code GENERATION}, {@code tool}, {@code chat}
 * @param where       how to find the step in the trace, e.g. {@code observations[id=…]}
 * @param startNanos  epoch nanoseconds, {@code Long.MAX_VALUE} when unknown (used for order only)
 * @param input       empty when the step recorded none
 * @param error       the failure message when the step failed (empty when it failed without one), with where it is
 * @param statusKnown true when the step records whether it failed (so "no error" means none)
 * @param attributes  attribute-like maps to look conventions up in (metadata, span attributes), most specific first
 * @param events      things recorded during the step (span events, run events), as JSON objects with a name
 * @param model       the model the backend itself records for the step (Langfuse's {@code model}), when it has one
 */
record Step(
        String id,
        Optional<String> parentId,
        StepKind kind,
        String type,
        String name,
        String where,
        long startNanos,
        long endNanos,
        Optional<Located<JsonNode>> input,
        Optional<Located<JsonNode>> output,
        Optional<Located<String>> error,
        boolean statusKnown,
        List<Located<JsonNode>> attributes,
        List<Located<JsonNode>> events,
        Optional<Located<String>> version,
        Optional<Located<String>> promptName,
        Optional<Located<String>> promptVersion,
        Optional<Located<String>> model) {

    boolean failed() {
        return error.isPresent();
    }
}
