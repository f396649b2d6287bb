package io.firebreak.bot.postmortem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** What a regression case needs from an incident's frozen run evidence. */
public interface RunEvidence {

    /**
     * The facts of one attached run.
     *
     * @param input  the user input the run received, when the evidence has it
     * @param output the run's final output (the bad one), when the evidence has it
     */
    record Facts(String runId, Optional<JsonNode> input, Optional<JsonNode> output) {}

    /** The run attached to the incident most recently, with its latest snapshot. */
    Optional<Facts> latest(long incidentId);

    /** A run attached to the incident. */
    Optional<Facts> run(long incidentId, String runId);

    /** The failure point a person named for the incident, e.g. {@code TOOL_VALIDATION}. */
    Optional<String> failurePoint(long incidentId);
}
