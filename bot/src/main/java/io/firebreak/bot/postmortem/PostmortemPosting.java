package io.firebreak.bot.postmortem;

import io.firebreak.bot.incident.PhaseListener;
import io.firebreak.bot.platform.jobs.JobIds;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;
import io.firebreak.storage.incident.IncidentKey;
import io.firebreak.storage.incident.Phase;
import java.time.Clock;
import java.time.Instant;

/**
 * When the postmortem is posted: at every close, in the closing transaction (whichever way the incident was
 * closed), and whenever someone asks for it. The posting itself is a durable job run by the postmortem's Slack face.
 */
public final class PostmortemPosting implements PhaseListener {
    /** The durable job that writes the postmortem from what is stored and posts it. */
    public static final String JOB = "postmortem-post";

    private final Storage storage;
    private final Clock clock;
    private final Runnable wakeJobs;

    public PostmortemPosting(Storage storage, Clock clock, Runnable wakeJobs) {
        this.storage = storage;
        this.clock = clock;
        this.wakeJobs = wakeJobs;
    }

    /**
     * One request to post a postmortem: the job's instance id.
     *
     * @param incident whose postmortem
     * @param at       when it was asked for: two requests are two postings
     */
    public record Request(IncidentKey incident, Instant at) {
        /** The job instance id, {@code <incident id>:<epoch ms>}. */
        public String instanceId() {
            return JobIds.join(incident.id(), at.toEpochMilli());
        }

        /** Reads an instance id written by {@link #instanceId()}. */
        public static Request parse(String instanceId) {
            String[] parts = JobIds.split(instanceId, 2);
            return new Request(
                    new IncidentKey(Long.parseLong(parts[0])), Instant.ofEpochMilli(Long.parseLong(parts[1])));
        }
    }

    @Override
    public void moved(Storage.Tx tx, Incident incident, Phase to) {
        if (to == Phase.CLOSED) {
            enqueue(tx, new Request(incident.key(), clock.instant()));
        }
    }

    /** Asks for the postmortem of {@code key} to be posted now. */
    public void request(IncidentKey key) {
        storage.inTransaction(tx -> {
            enqueue(tx, new Request(key, clock.instant()));
            return null;
        });
        wakeJobs.run();
    }

    private static void enqueue(Storage.Tx tx, Request request) {
        tx.jobs().enqueue(JOB, request.instanceId(), request.at());
    }
}
