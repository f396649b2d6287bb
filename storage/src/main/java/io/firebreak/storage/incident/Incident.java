package io.firebreak.storage.incident;

import java.time.Instant;
import java.util.Optional;

/**
 * One incident as stored.
 *
 * @param severity     empty while the incident is not assessed
 * @param commander    Slack user ID of who leads the response
 * @param reporter     who reported it: a Slack user ID, or a name or e-mail from a report form
 * @param source       how it was opened, e.g. {@code slash-command}, {@code shortcut}, {@code report}
 * @param originChannel the Slack channel it was opened from
 * @param channelId    the incident's own Slack channel, once created
 * @param cardChannel  where the incident card was posted
 * @param cardTs       the card message's {@code ts}, for {@code chat.update}
 * @param channelError why the incident has no channel of its own, when creating one failed
 * @param severityReason how the current severity was set: an assessment's reason or an override's reason
 * @param privateIncident true when only its channel's members, its commander and the security group may see it
 * @param teamId       the Slack workspace it belongs to; {@code ''} for incidents from before workspaces were kept
 * @param enterpriseId its Enterprise Grid org, if any
 */
public record Incident(
        long id,
        String title,
        Optional<Severity> severity,
        Phase phase,
        String commander,
        String reporter,
        String source,
        Optional<String> originChannel,
        Optional<String> channelId,
        Optional<String> cardChannel,
        Optional<String> cardTs,
        Optional<String> channelError,
        Optional<String> severityReason,
        Instant openedAt,
        Instant updatedAt,
        boolean privateIncident,
        String teamId,
        Optional<String> enterpriseId) {

    /** An incident of the single workspace (single-token mode, and incidents from before workspaces were kept). */
    public Incident(
            long id,
            String title,
            Optional<Severity> severity,
            Phase phase,
            String commander,
            String reporter,
            String source,
            Optional<String> originChannel,
            Optional<String> channelId,
            Optional<String> cardChannel,
            Optional<String> cardTs,
            Optional<String> channelError,
            Optional<String> severityReason,
            Instant openedAt,
            Instant updatedAt,
            boolean privateIncident) {
        this(
                id,
                title,
                severity,
                phase,
                commander,
                reporter,
                source,
                originChannel,
                channelId,
                cardChannel,
                cardTs,
                channelError,
                severityReason,
                openedAt,
                updatedAt,
                privateIncident,
                "",
                Optional.empty());
    }

    public IncidentKey key() {
        return new IncidentKey(id);
    }
}
