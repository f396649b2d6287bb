package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A trace read from one backend, before the evidence fields are taken from it.
 *
 * @param input   the run's input where the trace records it for the whole run (Langfuse trace input, root run inputs)
 * @param output  likewise for the final output
 * @param version the agent version where the trace records it for the whole run
 * @param stepsFrom where the steps are in the trace, e.g. {@code observations[]}
 * @param notes   what a reader should know about how complete the trace is
 */
record TraceModel(
        Located<String> runId,
        List<Step> steps,
        String stepsFrom,
        Optional<Located<JsonNode>> input,
        Optional<Located<JsonNode>> output,
        Optional<Located<String>> version,
        List<String> notes) {}
