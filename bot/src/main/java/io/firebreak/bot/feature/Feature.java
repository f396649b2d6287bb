package io.firebreak.bot.feature;

import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.slack.CardButton;
import io.firebreak.bot.slack.CardSection;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.web.ApiExtension;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;

/**
 * What one feature adds to the running bot, all of it fixed when the feature is built: its Slack face, its
 * durable jobs, its part of the read API and of the incident card, and any HTTP routes of its own. Decisions stay
 * in the feature's service; this only says where the feature plugs in.
 */
public interface Feature {

    /** Slash subcommands and Bolt listeners (buttons, modals, shortcuts, events). */
    default List<SlackFeature> slack() {
        return List.of();
    }

    /** Kinds of durable job this feature enqueues and runs. */
    default List<Job> jobs() {
        return List.of();
    }

    /** Fields and endpoints under {@code /api/}. */
    default List<ApiExtension> api() {
        return List.of();
    }

    /** HTTP routes of its own, by servlet path spec (e.g. {@code /reports}). */
    default Map<String, HttpServlet> routes() {
        return Map.of();
    }

    /** Its sections of the incident card, shown in the order the features are listed. */
    default List<CardSection> cardSections() {
        return List.of();
    }

    /** Its buttons on the incident card. */
    default List<CardButton> cardButtons() {
        return List.of();
    }

    /**
     * Runs this feature's hot paths once before the replica says it is ready, writing nothing and calling nothing
     * outside the database (see {@code Storage.rehearse}).
     */
    default void warmUp() {}
}
