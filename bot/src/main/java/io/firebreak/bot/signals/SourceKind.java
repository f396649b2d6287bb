package io.firebreak.bot.signals;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The payload shapes {@code /signals/{source}} reads. */
public enum SourceKind {
    /** Prometheus Alertmanager's webhook, payload {@code "version": "4"}. */
    ALERTMANAGER,
    /** Grafana-managed alerting's webhook contact point: Alertmanager's shape plus Grafana's fields. */
    GRAFANA,
    /** Datadog's Webhooks integration: one alert per body, the default template or one with a few more fields. */
    DATADOG,
    /** Any JSON, read through the JSON Pointers of the source's {@code mapping}. */
    GENERIC;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SourceKind> parse(String text) {
        return Arrays.stream(values()).filter(k -> k.id().equals(text)).findFirst();
    }
}
