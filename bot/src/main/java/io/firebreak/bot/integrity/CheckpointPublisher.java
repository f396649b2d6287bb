package io.firebreak.bot.integrity;

/** A place outside the database that every checkpoint is published to (besides the checkpoint files). */
public interface CheckpointPublisher {

    /** Its name in {@code checkpoint_publication}, e.g. {@code slack}. */
    String target();

    /**
     * Publishes {@code checkpoint}, returning where it went (e.g. a message's channel and ts). Throws
     * {@link io.firebreak.bot.platform.jobs.RetryLater} to be tried again later; any other exception is retried with backoff.
     */
    String publish(Checkpoint checkpoint);
}
