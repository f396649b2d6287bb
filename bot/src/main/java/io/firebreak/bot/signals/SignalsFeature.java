package io.firebreak.bot.signals;

import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.rules.RulesEngine;
import io.firebreak.bot.signals.slack.SignalNotices;
import io.firebreak.bot.signals.slack.SignalsSection;
import io.firebreak.bot.signals.web.SignalsServlet;
import io.firebreak.bot.slack.CardSection;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alerts posted to {@code /signals/{source}}: grouped into signals, on the card, counted into the incident's thread. */
public final class SignalsFeature implements Feature {
    private final SignalService service;
    private final SignalsServlet servlet;

    public SignalsFeature(
            Basics basics,
            Map<String, SignalSource> sources,
            IncidentService incidents,
            EvidenceService evidence,
            RulesEngine rules) {
        // Runs in the same transaction as the alert: Jdbi reuses this thread's open handle for nested transactions.
        RunLink runs = (key, runId, actor, signal) -> evidence.attach(
                new EvidenceService.AttachRequest(key, runId, Optional.empty(), actor, Optional.empty()));
        this.service = new SignalService(
                basics.storage(),
                incidents,
                basics.config().signals(),
                basics.config().intake(),
                rules,
                runs,
                new SignalNotices(basics.clock()),
                basics.mapper(),
                basics.tenancy());
        this.servlet = new SignalsServlet(sources, service, basics.json(), basics.clock());
    }

    public SignalService service() {
        return service;
    }

    @Override
    public List<Job> jobs() {
        return List.of(new Job(SignalService.DIGEST_JOB, service::digest));
    }

    @Override
    public Map<String, HttpServlet> routes() {
        return Map.of("/signals/*", servlet);
    }

    @Override
    public List<CardSection> cardSections() {
        return List.of(new SignalsSection(service));
    }
}
