package io.firebreak.bot.postmortem;

import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.Incident;

/** A feature's part of the postmortem (containment actions, evidence per run, failure point), in Markdown. */
public interface PostmortemSection {

    /** The section's heading. */
    String title();

    /** The section's Markdown, read from what is stored in the caller's transaction. */
    String markdown(Storage.Tx tx, Incident incident);
}
