package io.firebreak.bot.incident;

import io.firebreak.bot.access.AccessPolicy;
import io.firebreak.bot.access.ApiTokens;
import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.slack.CardPublisher;
import io.firebreak.bot.incident.slack.HomeTab;
import io.firebreak.bot.incident.slack.IncidentCard;
import io.firebreak.bot.incident.slack.IncidentCommands;
import io.firebreak.bot.incident.slack.LifecycleCommands;
import io.firebreak.bot.incident.slack.TimelineText;
import io.firebreak.bot.incident.web.ApiServlet;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.slack.IncidentSummary;
import io.firebreak.bot.slack.SlackFeature;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;

/**
 * The incident itself: open, list, show, assess, severity, phase and commander; its card, built from every
 * feature's sections and buttons; App Home; and the read API, to which every feature adds its part.
 */
public final class IncidentFeature implements Feature {
    private final CardPublisher cards;
    private final List<SlackFeature> slack;
    private final ApiServlet api;
    private final io.firebreak.bot.slack.ThreadNotices notices;
    private final Runnable warmUp;

    /**
     * The incident feature over {@code others}, whose card sections, buttons and API parts it shows; the read API
     * answers the {@code tokens} as the {@code access} policy decides; lists and screens show what {@code visibility} lets
     * each person or token see.
     */
    public IncidentFeature(
            Basics basics,
            IncidentService incidents,
            List<Feature> others,
            AccessPolicy access,
            ApiTokens tokens,
            Visibility visibility) {
        IncidentCard card = new IncidentCard(
                basics.clock(),
                new TimelineText(),
                others.stream().flatMap(f -> f.cardSections().stream()).toList(),
                others.stream().flatMap(f -> f.cardButtons().stream()).toList());
        this.notices = basics.notices();
        // Opening and rendering the card, rehearsed: the incident, its event and its card job are rolled back.
        this.warmUp = () -> basics.storage()
                .rehearse(() -> basics.storage().inTransaction(tx -> {
                    var incident = incidents.open(
                            tx,
                            new IncidentService.OpenRequest(
                                    "Firebreak warm-up, not stored",
                                    java.util.Optional.of(io.firebreak.storage.incident.Severity.HIGH),
                                    IncidentService.FIREBREAK,
                                    java.util.Optional.empty(),
                                    "warm-up"));
                    card.blocks(incident);
                    return card.fallbackText(incident);
                }));
        this.cards = new CardPublisher(
                incidents,
                basics.slack(),
                card,
                basics.clock(),
                basics.config().incidentChannels(),
                basics.mapper(),
                basics.tenancy());
        this.slack = List.of(
                new IncidentCommands(
                        incidents,
                        card,
                        basics.modals(),
                        basics.clock(),
                        visibility,
                        basics.resolver(),
                        basics.tenancy()),
                new LifecycleCommands(incidents, basics.notices(), basics.modals(), basics.resolver()),
                new HomeTab(
                        incidents, basics.slack(), basics.afterAck(), basics.clock(), visibility, basics.tenancy()));
        this.api = new ApiServlet(
                tokens,
                access,
                visibility,
                incidents,
                basics.json(),
                others.stream().flatMap(f -> f.api().stream()).toList());
    }

    /**
     * How other screens show an incident as its card does, without controls: for features built before this one
     * (the handoff pack). {@code sectionFeatures} are the features whose card sections it shows.
     */
    public static IncidentSummary summary(Basics basics, List<Feature> sectionFeatures) {
        return new IncidentCard(
                basics.clock(),
                new TimelineText(),
                sectionFeatures.stream().flatMap(f -> f.cardSections().stream()).toList(),
                List.of());
    }

    @Override
    public List<SlackFeature> slack() {
        return slack;
    }

    @Override
    public void warmUp() {
        warmUp.run();
    }

    @Override
    public List<Job> jobs() {
        return List.of(new Job(IncidentService.CARD_JOB, cards::runJob), notices.job());
    }

    @Override
    public Map<String, HttpServlet> routes() {
        return Map.of("/api/*", api);
    }
}
