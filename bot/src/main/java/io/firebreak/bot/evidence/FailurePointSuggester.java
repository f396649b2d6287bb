package io.firebreak.bot.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.text.TextLimits;
import io.firebreak.storage.evidence.FailurePoint;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Points at a likely failure point from a run's evidence: a tool call refused for permissions, a tool call that
 * failed validation, a retrieval that returned nothing, a model call that failed. A suggestion is only shown;
 * a person sets the failure point.
 */
public final class FailurePointSuggester {
    private static final Pattern PERMISSION = Pattern.compile(
            "(?i)permission|forbidden|unauthori[sz]ed|not allowed|access denied|denied|\\b40[13]\\b|scope");
    private static final Pattern VALIDATION = Pattern.compile(
            "(?i)validat|invalid|schema|required|must be|out of range|malformed|\\b4(00|22)\\b|type ?error|expected");

    private FailurePointSuggester() {}

    /** The most telling failure the evidence shows, if any. */
    public static Optional<Suggestion> suggest(NormalizedRun run) {
        FieldValue tools = run.field(EvidenceField.TOOL_CALLS);
        for (Pattern pattern : new Pattern[] {PERMISSION, VALIDATION}) {
            for (JsonNode call : items(tools)) {
                if (!"error".equals(call.path("outcome").asText())) {
                    continue;
                }
                String message = call.path("error").asText("") + " "
                        + JsonValues.decoded(call.path("response")).toString();
                if (pattern.matcher(message).find()) {
                    FailurePoint point =
                            pattern == PERMISSION ? FailurePoint.TOOL_PERMISSION : FailurePoint.TOOL_VALIDATION;
                    return Optional.of(new Suggestion(
                            point,
                            "the tool call \"" + call.path("tool").asText() + "\" failed: "
                                    + TextLimits.cut(
                                            call.path("error").asText("").isBlank()
                                                    ? message.strip()
                                                    : call.path("error").asText(),
                                            200),
                            call.path("from").asText()));
                }
            }
        }
        FieldValue retrievals = run.field(EvidenceField.RETRIEVED_SOURCES);
        for (JsonNode retrieval : items(retrievals)) {
            if (retrieval.path("documents_count").isInt()
                    && retrieval.path("documents_count").asInt() == 0) {
                return Optional.of(new Suggestion(
                        FailurePoint.RETRIEVAL,
                        "the retrieval step \"" + retrieval.path("step").asText() + "\" returned no documents",
                        retrieval.path("from").asText()));
            }
        }
        FieldValue errors = run.field(EvidenceField.ERRORS);
        for (JsonNode error : items(errors)) {
            if (StepKind.LLM.name().equals(error.path("kind").asText())) {
                return Optional.of(new Suggestion(
                        FailurePoint.MODEL,
                        "the model call \"" + error.path("step").asText() + "\" failed"
                                + (error.path("message").asText("").isBlank()
                                        ? ""
                                        : ": "
                                                + TextLimits.cut(
                                                        error.path("message").asText(), 200)),
                        error.path("from").asText()));
            }
        }
        return Optional.empty();
    }

    /** The items of a list field; none when it is missing. */
    private static Iterable<JsonNode> items(FieldValue field) {
        return field.present() && field.value().isArray() ? field.value() : java.util.List.of();
    }
}
