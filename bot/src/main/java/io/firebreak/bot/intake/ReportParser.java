package io.firebreak.bot.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.storage.incident.Severity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a report form's JSON body, naming each field that is missing, mistyped or too long. */
public final class ReportParser {
    static final Set<String> FIELDS = Set.of(
            "description",
            "reporter",
            "run_id",
            "source",
            "workflow",
            "occurred_at",
            "customer_ref",
            "severity_hint",
            "form");
    static final int MAX_DESCRIPTION = 20_000;
    static final int MAX_FIELD = 500;

    private final ObjectMapper mapper;

    public ReportParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What is wrong with one field. */
    public record Problem(String field, String problem) {}

    /** The report, or every problem found. */
    public record Parsed(Optional<ReportRequest> report, List<Problem> problems) {}

    public Parsed parse(String body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return failed(List.of(new Problem("(body)", "is not valid JSON: " + e.getOriginalMessage())));
        }
        if (json == null || !json.isObject()) {
            return failed(List.of(new Problem("(body)", "must be a JSON object")));
        }
        List<Problem> problems = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(
                        name,
                        "is not a report field (known: "
                                + String.join(", ", FIELDS.stream().sorted().toList()) + ")"));
            }
        });
        Optional<String> description = text(json, "description", MAX_DESCRIPTION, problems);
        if (description.isEmpty() && problems.stream().noneMatch(p -> p.field().equals("description"))) {
            problems.add(new Problem("description", "is required: say what the agent did wrong"));
        }
        Optional<String> reporter = text(json, "reporter", MAX_FIELD, problems);
        Optional<String> runId = text(json, "run_id", MAX_FIELD, problems);
        Optional<String> source = text(json, "source", MAX_FIELD, problems);
        Optional<String> workflow = text(json, "workflow", MAX_FIELD, problems);
        Optional<String> customerRef = text(json, "customer_ref", MAX_FIELD, problems);
        Optional<String> form = text(json, "form", MAX_FIELD, problems);
        Optional<Instant> occurredAt = text(json, "occurred_at", MAX_FIELD, problems)
                .flatMap(value -> {
                    try {
                        return Optional.of(OffsetDateTime.parse(value).toInstant());
                    } catch (DateTimeParseException e) {
                        problems.add(new Problem(
                                "occurred_at",
                                "must be an ISO-8601 time with an offset, such as 2026-11-24T09:15:00Z"));
                        return Optional.empty();
                    }
                });
        Optional<Severity> hint = text(json, "severity_hint", MAX_FIELD, problems)
                .flatMap(value -> {
                    Optional<Severity> severity = Severity.parse(value);
                    if (severity.isEmpty()) {
                        problems.add(new Problem("severity_hint", "must be one of low, medium, high, critical"));
                    }
                    return severity;
                });
        if (!problems.isEmpty()) {
            return failed(problems);
        }
        return new Parsed(
                Optional.of(new ReportRequest(
                        description.get(),
                        reporter.orElse("anonymous"),
                        runId,
                        source,
                        workflow,
                        occurredAt,
                        customerRef,
                        hint,
                        form.orElse("default"))),
                List.of());
    }

    private static Optional<String> text(JsonNode json, String field, int max, List<Problem> problems) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            problems.add(new Problem(
                    field, "must be a string, not " + node.getNodeType().name().toLowerCase()));
            return Optional.empty();
        }
        String value = node.asText().strip();
        if (value.length() > max) {
            problems.add(new Problem(field, "is longer than " + max + " characters"));
            return Optional.empty();
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Parsed failed(List<Problem> problems) {
        return new Parsed(Optional.empty(), problems);
    }
}
