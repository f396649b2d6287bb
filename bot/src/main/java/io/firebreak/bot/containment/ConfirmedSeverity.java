package io.firebreak.bot.containment;

import io.firebreak.bot.access.Directory;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.SeverityHistory;
import io.firebreak.storage.Storage;
import io.firebreak.storage.containment.ContainmentRun;
import io.firebreak.storage.containment.ContainmentRunDao;
import io.firebreak.storage.containment.RunState;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.Severity;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pre-approval needs a responder's severity, and a second person for anything that needed one when it was asked:
 * <ul>
 *   <li>a severity set by someone who is not a responder is unconfirmed and pre-approves nothing;</li>
 *   <li>when the requester set the severity themselves and earlier asked for the same action on the same target on
 *       this incident without it being approved (withdrawn, denied, expired or still waiting), raising the severity
 *       does not turn it into an action that fires alone;</li>
 *   <li>a rule's own severity pre-approves that rule's own auto-containment (and nobody else's firing).</li>
 * </ul>
 */
public final class ConfirmedSeverity implements SeverityTrust {
    private static final Set<RunState> NOT_APPROVED =
            EnumSet.of(RunState.PENDING_APPROVAL, RunState.DENIED, RunState.EXPIRED);

    private final Directory directory;

    public ConfirmedSeverity(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<Severity> granting(
            Storage.Tx tx, Incident incident, String requester, String action, Map<String, String> parameters) {
        Optional<String> setBy = SeverityHistory.setBy(tx, incident.id());
        // A rule is configuration responders wrote: the severity it set counts for its own auto-containment only.
        if (incident.severity().isPresent()
                && setBy.isPresent()
                && requester.startsWith(IncidentService.RULE_ACTOR_PREFIX)
                && setBy.get().equals(requester)) {
            return incident.severity();
        }
        if (incident.severity().isEmpty() || setBy.isEmpty() || !directory.isResponder(setBy.get(), incident)) {
            return Optional.empty();
        }
        if (setBy.get().equals(requester) && askedBeforeWithoutApproval(tx, incident, requester, action, parameters)) {
            return Optional.empty();
        }
        return incident.severity();
    }

    private static boolean askedBeforeWithoutApproval(
            Storage.Tx tx, Incident incident, String requester, String action, Map<String, String> parameters) {
        for (ContainmentRun run : tx.attach(ContainmentRunDao.class).forIncident(incident.id())) {
            if (run.requestedBy().equals(requester)
                    && run.action().equals(action)
                    && run.parameters().equals(parameters)
                    && run.approval().needed()
                    && NOT_APPROVED.contains(run.state())) {
                return true;
            }
        }
        return false;
    }
}
