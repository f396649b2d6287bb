package io.firebreak.bot.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a {@code GET /metrics} answer (Prometheus' text format), as a scraper would. */
public final class PrometheusText {
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: a metric name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    public PrometheusText(String text) {
        this.samples = text.lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(PrometheusText::parse)
                .toList();
    }

    private static Sample parse(String line) {
        Matcher m = SAMPLE.matcher(line.strip());
        if (!m.matches()) {
            throw new AssertionError("not a Prometheus sample line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
    }

    /** The value of the sample named {@code name} whose labels include {@code labels}, if there is exactly one. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> found = all(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " match " + labels + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** The value of {@code name} with {@code labels}, failing when there is none. */
    public double get(String name, Map<String, String> labels) {
        return value(name, labels)
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " among " + samples.size()));
    }

    /** Every sample named {@code name} whose labels include {@code labels}. */
    public List<Sample> all(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> labels.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                .toList();
    }
}
