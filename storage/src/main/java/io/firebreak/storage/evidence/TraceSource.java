package io.firebreak.storage.evidence;

import java.util.Locale;
import java.util.Optional;

/** A tracing backend that run evidence is fetched from. */
public enum TraceSource {
    LANGFUSE("Langfuse"),
    LANGSMITH("LangSmith"),
    /** OTLP JSON from Jaeger or Grafana Tempo. */
    OTEL("OpenTelemetry");

    private final String label;

    TraceSource(String label) {
        this.label = label;
    }

    /** The backend's own name, as people know it. */
    public String label() {
        return label;
    }

    /** The word people type: {@code langfuse}, {@code langsmith}, {@code otel}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the word in any case; {@code opentelemetry}, {@code jaeger} and {@code tempo} mean {@link #OTEL}. */
    public static Optional<TraceSource> parse(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "langfuse" -> Optional.of(LANGFUSE);
            case "langsmith" -> Optional.of(LANGSMITH);
            case "otel", "opentelemetry", "jaeger", "tempo" -> Optional.of(OTEL);
            default -> Optional.empty();
        };
    }
}
