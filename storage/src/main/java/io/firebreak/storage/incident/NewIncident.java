package io.firebreak.storage.incident;

import java.util.Optional;

/** What is known when an incident is opened. */
public record NewIncident(
        String title,
        Optional<Severity> severity,
        String commander,
        String reporter,
        String source,
        Optional<String> originChannel) {}
