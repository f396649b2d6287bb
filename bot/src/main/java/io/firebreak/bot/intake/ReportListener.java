package io.firebreak.bot.intake;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import java.util.Optional;

/** Told of each stored report, in its transaction: the automation rules count reports per workflow. */
@FunctionalInterface
public interface ReportListener {
    ReportListener NONE = (tx, incident, workflow, runId) -> {};

    void reported(Storage.Tx tx, IncidentKey incident, Optional<String> workflow, Optional<String> runId);
}
