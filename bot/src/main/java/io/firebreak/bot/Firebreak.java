package io.firebreak.bot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import io.firebreak.bot.access.AccessPolicy;
import io.firebreak.bot.access.ApiTokens;
import io.firebreak.bot.access.ConfirmedSeverity;
import io.firebreak.bot.access.Directory;
import io.firebreak.bot.config.Config;
import io.firebreak.bot.slack.AccessMiddleware;
import io.firebreak.bot.incident.CaptureService;
import io.firebreak.bot.containment.ActionCatalog;
import io.firebreak.bot.containment.Approvers;
import io.firebreak.bot.containment.CatalogException;
import io.firebreak.bot.containment.CatalogLoader;
import io.firebreak.bot.containment.ContainmentExecutor;
import io.firebreak.bot.containment.ContainmentJson;
import io.firebreak.bot.containment.ContainmentReview;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.config.EvidenceSettings;
import io.firebreak.bot.evidence.EvidenceReview;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.storage.evidence.TraceSource;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.intake.ReportIntake;
import io.firebreak.bot.intake.ReportParser;
import io.firebreak.bot.intake.RunAttacher;
import io.firebreak.bot.jobs.Jobs;
import io.firebreak.bot.postmortem.ClosingChecklist;
import io.firebreak.bot.postmortem.CorrectionService;
import io.firebreak.bot.postmortem.DatasetPush;
import io.firebreak.bot.outbound.RetryPolicy;
import io.firebreak.bot.postmortem.FollowUpService;
import io.firebreak.bot.postmortem.PostmortemApi;
import io.firebreak.bot.postmortem.PostmortemWriter;
import io.firebreak.bot.postmortem.RunEvidence;
import io.firebreak.bot.slack.PostmortemCommands;
import io.firebreak.bot.slack.PostmortemPoster;
import io.firebreak.bot.logging.LogContext;
import io.firebreak.bot.metrics.DatabaseGauges;
import io.firebreak.bot.metrics.Metrics;
import io.firebreak.bot.slack.SlackRequestMetrics;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.bot.web.MetricsServlet;
import io.firebreak.bot.web.Readiness;
import io.firebreak.bot.web.RequestIdFilter;
import io.firebreak.bot.web.StartupGate;
import io.firebreak.storage.DatabaseUrl;
import io.firebreak.bot.slack.ReportNotices;
import io.firebreak.bot.web.ReportsServlet;
import io.firebreak.bot.slack.CardPublisher;
import io.firebreak.bot.slack.HomeTab;
import io.firebreak.bot.slack.MessageCaptureJob;
import io.firebreak.bot.slack.ContainmentCommands;
import io.firebreak.bot.slack.ContainmentNotifier;
import io.firebreak.bot.slack.ContainmentSection;
import io.firebreak.bot.slack.ContainmentViews;
import io.firebreak.bot.outbound.OutboundHttp;
import io.firebreak.bot.slack.EvidenceCommands;
import io.firebreak.bot.slack.EvidenceSummary;
import io.firebreak.bot.slack.EvidenceThread;
import io.firebreak.bot.slack.IncidentCard;
import io.firebreak.bot.slack.IncidentCommands;
import io.firebreak.bot.slack.RunsSection;
import io.firebreak.bot.slack.SlackApp;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.handoff.HandoffService;
import io.firebreak.bot.slack.CardButton;
import io.firebreak.bot.slack.HandoffCommands;
import io.firebreak.bot.slack.HandoffPack;
import io.firebreak.bot.slack.LifecycleCommands;
import io.firebreak.bot.slack.Modals;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.bot.slack.SlackResponders;
import io.firebreak.bot.slack.TimelineCapture;
import io.firebreak.bot.slack.TimelineText;
import io.firebreak.bot.web.ApiServlet;
import io.firebreak.bot.web.EvidenceApi;
import io.firebreak.bot.web.HealthServlet;
import io.firebreak.bot.web.HttpServer;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.Database;
import io.firebreak.storage.Storage;
import jakarta.servlet.http.HttpServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every part from a {@link Config} by constructor, starts them in order and
 * stops them in reverse. Nothing else creates services.
 */
public final class Firebreak implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Firebreak.class);
    private static final Duration DB_CONNECT_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Database database;
    private final Jobs jobs;
    private final ExecutorService afterAck;
    private final HttpServer http;
    private final IncidentService incidents;
    private final EvidenceService evidence;
    private final Metrics metrics;
    private final Readiness readiness;
    private final DatabaseStartup startup;

    private Firebreak(Database database, Jobs jobs, ExecutorService afterAck, HttpServer http, IncidentService incidents,
                      EvidenceService evidence, Metrics metrics, Readiness readiness, DatabaseStartup startup) {
        this.database = database;
        this.jobs = jobs;
        this.afterAck = afterAck;
        this.http = http;
        this.incidents = incidents;
        this.evidence = evidence;
        this.metrics = metrics;
        this.readiness = readiness;
        this.startup = startup;
    }

    /**
     * Reads the action catalog, opens the database (embedded when no URL is configured), wires everything and
     * starts serving, ready. Throws when the database cannot be reached.
     *
     * @throws CatalogException when the action catalog is invalid: the bot does not start with half a catalog
     */
    public static Firebreak start(Config config, Clock clock) throws Exception {
        return start(config, clock, Optional.empty());
    }

    /**
     * Starts serving at once and waits for the database in the background, trying again every {@code retryEvery}
     * with a log line that says why it failed. Until the database is reachable and migrated, {@code /healthz}
     * answers 503 with that reason and every other endpoint but {@code /metrics} 503 "starting". For a deployment,
     * where the database may come up after the bot.
     */
    public static Firebreak launch(Config config, Clock clock, Duration retryEvery) throws Exception {
        return start(config, clock, Optional.of(retryEvery));
    }

    private static Firebreak start(Config config, Clock clock, Optional<Duration> retryEvery) throws Exception {
        ActionCatalog catalog = CatalogLoader.load(config.containment());
        log.info("containment actions: {} from {}", catalog.actions().size(), catalog.source());
        catalog.targets().stream().filter(t -> !t.configured())
                .forEach(t -> log.warn("containment actions on {} are refused until configured: {}", t.name(), t.notConfigured()));
        Database database = config.databaseUrl().isPresent()
                ? Database.open(config.databaseUrl().get(), DB_CONNECT_TIMEOUT)
                : Database.embedded(config.dataDir().resolve("postgres"), DB_CONNECT_TIMEOUT);
        log.info("database: {}", database.description());
        try {
            return wire(config, clock, database, catalog, retryEvery);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    private static Firebreak wire(Config config, Clock clock, Database database, ActionCatalog catalog,
                                  Optional<Duration> retryEvery) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Storage storage = new Storage(database.jdbi(), mapper, clock);
        Metrics metrics = new Metrics().withJvmMetrics().watch(new DatabaseGauges(storage, clock));
        Jobs jobs = new Jobs(database.dataSource(), clock, config.jobThreads(), metrics);

        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(config.slackApiUrl());
        // Stats would call auth.test before the first Web API call, and keep per-team state.
        slackConfig.setStatsEnabled(false);
        Slack slack = Slack.getInstance(slackConfig);
        SlackWebApi slackApi = new SlackWebApi(slack, config.botToken());
        SlackResponders responders = new SlackResponders(config.responders(), slackApi, clock);
        ClosingChecklist closing = new ClosingChecklist();
        IncidentService incidents = new IncidentService(storage, mapper, jobs::wake, responders, closing);
        IncidentCard card = new IncidentCard(clock, new TimelineText());
        CardPublisher cards = new CardPublisher(incidents, slackApi, card, clock, config.incidentChannels(), mapper);
        jobs.register(IncidentService.CARD_JOB, cards::runJob);

        Approvers approvers = Approvers.of(config.containment().approvers(), responders, config.responders());
        Directory directory = AccessWiring.directory(responders, approvers,
                new SlackResponders(config.access().privateResponders(), slackApi, clock));
        ContainmentService containment = new ContainmentService(storage, catalog, approvers,
                config.containment().approvalTtl(), mapper, jobs::wake, new ConfirmedSeverity(directory));
        ContainmentExecutor containmentCalls = new ContainmentExecutor(storage, catalog, incidents, metrics, mapper, jobs::wake);
        jobs.register(ContainmentService.ACTION_JOB, containmentCalls::runAction)
                .register(ContainmentService.UNDO_JOB, containmentCalls::runUndo)
                .register(ContainmentService.EXPIRY_JOB, containment::expireJob)
                .register(ContainmentService.NOTICE_JOB, new ContainmentNotifier(containment, incidents, slackApi, clock)::runJob);
        card.withSection(new ContainmentSection(containment));
        ContainmentReview containmentReview = new ContainmentReview(storage, incidents, containment, mapper);
        closing.with(containmentReview);

        EvidenceSettings evidenceSettings = config.evidence();
        OutboundHttp tracingBackends = new OutboundHttp(Duration.ofSeconds(10), evidenceSettings.fetchTimeout(), clock);
        EvidenceService evidence = new EvidenceService(storage, mapper, evidenceSettings,
                EvidenceService.clients(evidenceSettings, tracingBackends, mapper), jobs::wake, clock, metrics);
        jobs.register(EvidenceService.FETCH_JOB, evidence::runFetchJob);
        jobs.register(EvidenceService.THREAD_JOB, new EvidenceThread(evidence, slackApi,
                new EvidenceSummary(config.publicUrl(), config.slashCommand()), clock)::runJob);
        card.withSection(new RunsSection(evidence));
        EvidenceReview evidenceReview = new EvidenceReview(evidence);
        closing.with(evidenceReview);

        ExecutorService afterAck = LogContext.carrying(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "after-ack");
            t.setDaemon(true);
            return t;
        }));
        Modals modals = new Modals(slackApi, afterAck);
        ThreadNotices notices = new ThreadNotices(incidents, slackApi, afterAck);

        List<SlackFeature> features = new ArrayList<>();
        features.add(new IncidentCommands(incidents, card, modals, clock));
        features.add(new LifecycleCommands(incidents, notices, modals));
        features.add(new ContainmentCommands(containment, containmentReview, incidents, slackApi, new ContainmentViews(mapper)));
        features.add(new EvidenceCommands(evidence, incidents, slackApi));
        HandoffService handoffs = new HandoffService(storage, incidents, config.handoffReminder(), mapper);
        HandoffPack pack = new HandoffPack(handoffs, incidents, card, new TimelineText(), slackApi, clock);
        jobs.register(HandoffService.PACK_JOB, pack::sendJob);
        jobs.register(HandoffService.REMINDER_JOB, pack::reminderJob);
        features.add(new HandoffCommands(handoffs, incidents, modals, notices, clock));
        card.withButton(new CardButton(HandoffCommands.HANDOFF_BUTTON, "Hand off", 50));
        CaptureService captures = new CaptureService(storage, mapper, jobs::wake);
        jobs.register(CaptureService.CAPTURE_JOB, new MessageCaptureJob(captures, slackApi, clock)::run);
        features.add(new TimelineCapture(captures, incidents, slackApi, afterAck));
        features.add(new HomeTab(incidents, slackApi, afterAck, clock));
        RunEvidence runEvidence = evidenceReview;
        CorrectionService corrections = new CorrectionService(storage, incidents, mapper);
        boolean pushRegressions = config.langfuseDataset().isPresent() && config.evidence().langfuse().isPresent();
        FollowUpService followUps = new FollowUpService(storage, incidents, runEvidence, pushRegressions, mapper);
        if (pushRegressions) {
            jobs.register(FollowUpService.DATASET_JOB, new DatasetPush(storage, incidents, config.evidence().langfuse().get(),
                    config.langfuseDataset().get(), new OutboundHttp(Duration.ofSeconds(5), Duration.ofSeconds(20), clock),
                    RetryPolicy.standard(), mapper)::runJob);
        }
        PostmortemWriter postmortems = new PostmortemWriter(storage).with(containmentReview)
                .with(evidenceReview.runsSection()).with(evidenceReview.failurePointSection());
        PostmortemPoster poster = new PostmortemPoster(storage, incidents, postmortems, slackApi, mapper, clock);
        jobs.register(PostmortemPoster.JOB, poster::runJob);
        PostmortemCommands postmortemCommands = new PostmortemCommands(incidents, corrections, followUps, poster, modals, notices);
        features.add(postmortemCommands);
        card.withSection(postmortemCommands);
        card.withButton(new CardButton(PostmortemCommands.CORRECT_BUTTON, "Record correction", 60));
        card.withButton(new CardButton(PostmortemCommands.FOLLOWUP_BUTTON, "Add follow-up", 70));
        AccessPolicy access = AccessWiring.policy(config, containment.approvers());
        AccessWiring.logWhoMayFire(config, containment.approvers());
        App app = SlackApp.create(config, slack, features, afterAck,
                new AccessMiddleware(config.slashCommand(), access, directory, incidents, containment, slackApi, afterAck, mapper));

        // Runs in the same transaction as the report: Jdbi reuses this thread's open handle for nested transactions.
        RunAttacher runs = (tx, key, runId, source, actor, reportId) -> evidence.attach(new EvidenceService.AttachRequest(
                key, runId, source.flatMap(TraceSource::parse), actor, Optional.of("RPT-" + reportId)));
        ReportIntake intake = new ReportIntake(storage, incidents, config.intake(), runs, mapper);
        jobs.register(ReportIntake.NOTICE_JOB, new ReportNotices(storage, incidents, slackApi, clock)::runJob);

        JsonResponses json = new JsonResponses(mapper);
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        Readiness readiness = Readiness.waiting("connecting to the database " + database.description());
        servlets.put("/healthz", new HealthServlet(database, readiness, json));
        servlets.put("/metrics", new MetricsServlet(metrics));
        servlets.put("/api/*", new ApiServlet(new ApiTokens(config.access().apiTokens()), access, incidents, json,
                List.of(new ContainmentJson(containment, mapper), new EvidenceApi(evidence, json), new PostmortemApi(corrections, followUps, postmortems, json))));
        servlets.put("/reports", new ReportsServlet(config.intake(), new ReportParser(mapper), intake, json, clock));
        Set<String> subcommands = features.stream().flatMap(f -> f.subcommands().stream()).map(Subcommand::name).collect(Collectors.toSet());
        List<HttpServer.PathFilter> filters = List.of(
                new HttpServer.PathFilter("/*", new RequestIdFilter()),
                new HttpServer.PathFilter("/slack/events", new SlackRequestMetrics(metrics, subcommands, mapper)),
                new HttpServer.PathFilter("/*", new StartupGate(readiness, json)));
        HttpServer http = new HttpServer(config.port(), app, servlets, filters, json, STOP_TIMEOUT);
        DatabaseStartup startup = new DatabaseStartup(database, readiness, () -> {
            if (config.runJobs()) {
                jobs.start();
            } else {
                log.info("FIREBREAK_RUN_JOBS is false: this replica runs no durable jobs; other replicas run them");
            }
        },
                config.databaseUrl().flatMap(DatabaseUrl::password).map(Set::of).orElse(Set.of()));
        try {
            if (retryEvery.isPresent()) {
                http.start();
                startup.inBackground(retryEvery.get());
            } else {
                startup.now();
                http.start();
            }
        } catch (Exception e) {
            startup.close();
            jobs.close();
            afterAck.shutdownNow();
            try {
                http.close();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        log.info("Firebreak is listening on port {}: POST /slack/events answers {}", http.port(), config.slashCommand());
        if (config.botToken().isEmpty()) {
            log.warn("SLACK_BOT_TOKEN is not set: commands work, but nothing is posted to Slack.");
        }
        return new Firebreak(database, jobs, afterAck, http, incidents, evidence, metrics, readiness, startup);
    }

    public int port() {
        return http.port();
    }


    public IncidentService incidents() {
        return incidents;
    }

    public EvidenceService evidence() {
        return evidence;
    }

    /** True once the database is migrated and jobs run; {@link #launch} starts serving before that. */
    public boolean ready() {
        return readiness.isReady();
    }

    public void join() throws InterruptedException {
        http.join();
    }

    /** Finishes requests in flight, then the work they started, then closes the database. */
    @Override
    public void close() {
        startup.close();
        try {
            http.close();
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.getMessage());
        }
        jobs.close();
        afterAck.shutdown();
        try {
            if (!afterAck.awaitTermination(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("work after Slack acks was still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        metrics.close();
        log.info("Firebreak stopped");
    }
}
