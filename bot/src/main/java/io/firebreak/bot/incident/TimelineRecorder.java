package io.firebreak.bot.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.bot.platform.outbound.RedactedJson;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.NewIncident;
import io.firebreak.storage.timeline.Timeline;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.Instant;

/**
 * The one way onto an incident's timeline. Every event is appended to the hash chain here, and an event that
 * changes what the card shows brings the card up to date in the same transaction, so the card job exists exactly
 * when the change was committed.
 */
public final class TimelineRecorder {

    private TimelineRecorder() {}

    /**
     * One update of an incident's card: the job's instance id.
     *
     * @param incident whose card
     * @param seq      the timeline event that asked for it; several changes are several updates
     */
    public record CardRefresh(IncidentKey incident, int seq) {
        /** The job instance id, {@code <incident id>:<seq>}. */
        public String instanceId() {
            return JobIds.join(incident.id(), seq);
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static CardRefresh parse(String instanceId) {
            String[] parts = JobIds.split(instanceId, 2);
            return new CardRefresh(new IncidentKey(Long.parseLong(parts[0])), Integer.parseInt(parts[1]));
        }
    }

    /**
     * Stores a new incident with its first event and the first publication of its card, in one statement. Nothing can
     * wait to publish a card nobody has seen yet, so that job is added without looking for one.
     */
    static Timeline.Opened open(
            Storage.Tx tx, NewIncident fresh, boolean privateIncident, String kind, JsonNode details, Instant now) {
        return tx.timeline()
                .open(
                        fresh,
                        privateIncident,
                        now,
                        kind,
                        RedactedJson.of(details),
                        IncidentService.CARD_JOB,
                        JobIds.join("", 1));
    }

    /**
     * As {@link #open}, unless the reporter opened an incident with the same title at or after {@code since}, which is
     * then returned instead (decided under the advisory lock {@code lock}; see {@link Timeline#openUnlessOpened}).
     */
    static Timeline.OpenedOnce openUnlessOpened(
            Storage.Tx tx,
            NewIncident fresh,
            boolean privateIncident,
            String kind,
            JsonNode details,
            Instant now,
            long lock,
            Instant since) {
        return tx.timeline()
                .openUnlessOpened(
                        fresh,
                        privateIncident,
                        now,
                        kind,
                        RedactedJson.of(details),
                        IncidentService.CARD_JOB,
                        JobIds.join("", 1),
                        lock,
                        since);
    }

    /** Records an event and brings the incident's card up to date. */
    public static TimelineEvent record(
            Storage.Tx tx, long incidentId, String actor, String kind, JsonNode details, Instant now) {
        TimelineEvent event = tx.timeline().append(incidentId, actor, kind, RedactedJson.of(details));
        refreshCard(tx, event, now);
        return event;
    }

    /**
     * Records an event that changes nothing the card shows (a retry, a captured message), or that the card job
     * itself records (the channel it created), which must not ask for another card update.
     */
    public static TimelineEvent recordOffCard(
            Storage.Tx tx, long incidentId, String actor, String kind, JsonNode details) {
        return tx.timeline().append(incidentId, actor, kind, RedactedJson.of(details));
    }

    /**
     * At most one card publication waits per incident: it renders the incident as it is when it runs, so under a rate
     * limit ten changes make one {@code chat.update} with the last state rather than ten in turn.
     */
    /**
     * True when another update of the same card is waiting to run: {@code refresh}, about to retry, can leave the
     * work to it, since it reads the incident when it runs. Keeps a rate-limited card to one waiting update.
     */
    public static boolean anotherRefreshWaiting(Storage.Tx tx, CardRefresh refresh) {
        return tx.jobs()
                .anotherWaiting(
                        IncidentService.CARD_JOB, JobIds.join(refresh.incident().id(), ""), refresh.instanceId());
    }

    private static void refreshCard(Storage.Tx tx, TimelineEvent event, Instant now) {
        tx.jobs()
                .enqueueUnlessWaiting(
                        IncidentService.CARD_JOB,
                        new CardRefresh(new IncidentKey(event.incidentId()), event.seq()).instanceId(),
                        JobIds.join(event.incidentId(), ""),
                        now);
    }
}
