package io.firebreak.bot.containment;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Severity;
import java.util.Map;
import java.util.Optional;

/**
 * Which severity may pre-approve a firing: the incident's own, unless nobody with the right to vouch for it has.
 * Firebreak's policy ({@code io.firebreak.bot.access.ConfirmedSeverity}) counts only a responder's severity, and never
 * one the requester raised after asking for the same action and not getting it.
 */
public interface SeverityTrust {

    /**
     * The severity that counts for pre-approving {@code action} with {@code parameters} fired by {@code requester} on
     * {@code incident}, read in the firing's transaction; empty means below every severity (an approver must click).
     */
    Optional<Severity> granting(
            Storage.Tx tx, Incident incident, String requester, String action, Map<String, String> parameters);

    /** The incident's severity as it stands: for tests that call the service directly. */
    static SeverityTrust asAssessed() {
        return (tx, incident, requester, action, parameters) -> incident.severity();
    }
}
