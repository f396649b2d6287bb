package io.firebreak.bot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import io.firebreak.bot.access.AccessPolicy;
import io.firebreak.bot.access.ApiTokens;
import io.firebreak.bot.access.Directory;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Visibility;
import io.firebreak.bot.capture.CaptureFeature;
import io.firebreak.bot.containment.ActionCatalog;
import io.firebreak.bot.containment.Approvers;
import io.firebreak.bot.containment.CatalogException;
import io.firebreak.bot.containment.CatalogLoader;
import io.firebreak.bot.containment.ConfirmedSeverity;
import io.firebreak.bot.containment.ContainmentFeature;
import io.firebreak.bot.containment.ContainmentRecord;
import io.firebreak.bot.containment.ContainmentService;
import io.firebreak.bot.enforcement.AccessMiddleware;
import io.firebreak.bot.enforcement.WorkLimits;
import io.firebreak.bot.evidence.EvidenceFeature;
import io.firebreak.bot.evidence.EvidenceReview;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.feature.Basics;
import io.firebreak.bot.feature.Feature;
import io.firebreak.bot.handoff.HandoffFeature;
import io.firebreak.bot.incident.IncidentFeature;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.incident.WorkspaceRemoval;
import io.firebreak.bot.incident.slack.SlackResponders;
import io.firebreak.bot.install.InstallFeature;
import io.firebreak.bot.install.Installations;
import io.firebreak.bot.intake.IntakeFeature;
import io.firebreak.bot.integrity.CheckpointFiles;
import io.firebreak.bot.integrity.CheckpointPublisher;
import io.firebreak.bot.integrity.IntegrityFeature;
import io.firebreak.bot.integrity.IntegritySection;
import io.firebreak.bot.integrity.IntegrityService;
import io.firebreak.bot.integrity.S3Checkpoints;
import io.firebreak.bot.integrity.slack.AuditChannel;
import io.firebreak.bot.paging.PagingFeature;
import io.firebreak.bot.paging.PagingService;
import io.firebreak.bot.platform.config.Config;
import io.firebreak.bot.platform.jobs.Foreground;
import io.firebreak.bot.platform.jobs.Job;
import io.firebreak.bot.platform.jobs.Jobs;
import io.firebreak.bot.platform.logging.LogContext;
import io.firebreak.bot.platform.metrics.DatabaseGauges;
import io.firebreak.bot.platform.metrics.Metrics;
import io.firebreak.bot.platform.outbound.OutboundHttp;
import io.firebreak.bot.postmortem.ClosingChecklist;
import io.firebreak.bot.postmortem.PostmortemFeature;
import io.firebreak.bot.postmortem.PostmortemPosting;
import io.firebreak.bot.rules.Facts;
import io.firebreak.bot.rules.Pager;
import io.firebreak.bot.rules.RuleSet;
import io.firebreak.bot.rules.RulesEngine;
import io.firebreak.bot.rules.RulesFeature;
import io.firebreak.bot.rules.RulesLoader;
import io.firebreak.bot.rules.TimelinePager;
import io.firebreak.bot.signals.SignalSource;
import io.firebreak.bot.signals.SignalsFeature;
import io.firebreak.bot.signals.SourcesLoader;
import io.firebreak.bot.slack.AccessMap;
import io.firebreak.bot.slack.BotTokens;
import io.firebreak.bot.slack.BusyAnswers;
import io.firebreak.bot.slack.IncidentResolver;
import io.firebreak.bot.slack.MalformedPayloadFilter;
import io.firebreak.bot.slack.Modals;
import io.firebreak.bot.slack.RequestBudget;
import io.firebreak.bot.slack.SlackApp;
import io.firebreak.bot.slack.SlackChannelMembers;
import io.firebreak.bot.slack.SlackFeature;
import io.firebreak.bot.slack.SlackRequestMetrics;
import io.firebreak.bot.slack.SlackSignatureFilter;
import io.firebreak.bot.slack.SlackWarmUp;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.Subcommand;
import io.firebreak.bot.slack.ThreadNotices;
import io.firebreak.bot.slack.socket.SocketModeReceiver;
import io.firebreak.bot.web.ForegroundFilter;
import io.firebreak.bot.web.HealthServlet;
import io.firebreak.bot.web.HttpServer;
import io.firebreak.bot.web.JsonErrors;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.bot.web.MetricsServlet;
import io.firebreak.bot.web.Readiness;
import io.firebreak.bot.web.RedactingFilter;
import io.firebreak.bot.web.RequestIdFilter;
import io.firebreak.bot.web.StartupGate;
import io.firebreak.storage.Database;
import io.firebreak.storage.DatabaseUrl;
import io.firebreak.storage.Storage;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part from a {@link Config} by constructor, starts them in order and
 * stops them in reverse. Nothing else creates services.
 */
public final class Firebreak implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Firebreak.class);
    private static final Duration DB_CONNECT_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** Slack requests worked on at once; more wait for a worker, within their budget. */
    static final int SLACK_WORKERS = 8;
    /** Threads for work after Slack's ack (modals, answers to buttons). */
    static final int AFTER_ACK_THREADS = 4;

    /**
     * Connections the pool holds, sized so a request never waits for one behind the other users: one per Slack worker,
     * one per after-ack thread, two per job thread (a card job holds its card lock on a connection of its own), and two
     * for the health check and the metrics gauges.
     */
    static int poolSize(int jobThreads) {
        return SLACK_WORKERS + AFTER_ACK_THREADS + 2 * jobThreads + 2;
    }

    private final Database database;
    private final Jobs jobs;
    private final ExecutorService afterAck;
    private final ExecutorService slackWorkers;
    private final HttpServer http;
    private final IncidentService incidents;
    private final EvidenceService evidence;
    private final PagingService paging;
    private final Metrics metrics;
    private final Readiness readiness;
    private final DatabaseStartup startup;
    private final Optional<SocketModeReceiver> socketMode;
    private final BotTokens botTokens;
    private final WorkspaceRemoval workspaceRemoval;

    private Firebreak(
            Database database,
            Jobs jobs,
            ExecutorService afterAck,
            ExecutorService slackWorkers,
            HttpServer http,
            IncidentService incidents,
            EvidenceService evidence,
            PagingService paging,
            Metrics metrics,
            Readiness readiness,
            DatabaseStartup startup,
            Optional<SocketModeReceiver> socketMode,
            BotTokens botTokens,
            WorkspaceRemoval workspaceRemoval) {
        this.database = database;
        this.jobs = jobs;
        this.afterAck = afterAck;
        this.slackWorkers = slackWorkers;
        this.http = http;
        this.incidents = incidents;
        this.evidence = evidence;
        this.paging = paging;
        this.metrics = metrics;
        this.readiness = readiness;
        this.startup = startup;
        this.socketMode = socketMode;
        this.botTokens = botTokens;
        this.workspaceRemoval = workspaceRemoval;
    }

    /** Marks a workspace's open incidents when Firebreak is uninstalled from it: the uninstall hook calls it. */
    public WorkspaceRemoval workspaceRemoval() {
        return workspaceRemoval;
    }

    /**
     * Reads the action catalog, opens the database (embedded when no URL is configured), wires everything and
     * starts serving, ready. Throws when the database cannot be reached.
     *
     * @throws CatalogException when the action catalog is invalid: the bot does not start with half a catalog
     */
    public static Firebreak start(Config config, Clock clock) throws Exception {
        return start(config, clock, Optional.empty(), singleToken(config), tenancy(config));
    }

    /**
     * As {@link #start(Config, Clock)}, calling Slack with each workspace's token from {@code tokens} and keeping each
     * workspace's incidents apart as {@code tenancy} says (several workspaces: OAuth installs).
     */
    public static Firebreak start(Config config, Clock clock, BotTokens tokens, Tenancy tenancy) throws Exception {
        return start(config, clock, Optional.empty(), tokens, tenancy);
    }

    /** Single-token mode: today's {@code SLACK_BOT_TOKEN}, whatever the workspace. */
    private static BotTokens singleToken(Config config) {
        return BotTokens.single(config.botToken());
    }

    /**
     * Several workspaces when Firebreak is installed through OAuth, each seeing only its own incidents; otherwise
     * single-token mode.
     */
    private static Tenancy tenancy(Config config) {
        return config.oauth().isPresent() ? Tenancy.several(config.access().legacyTeamId()) : singleWorkspace(config);
    }

    /** Single-token mode: one workspace; {@code FIREBREAK_TEAM_ID}, when it names exactly one, is stored as its id. */
    private static Tenancy singleWorkspace(Config config) {
        Set<String> teams = config.access().workspaces();
        return Tenancy.single(teams.size() == 1 ? teams.stream().findFirst() : Optional.empty());
    }

    /**
     * Starts serving at once and waits for the database in the background, trying again every {@code retryEvery}
     * with a log line that says why it failed. Until the database is reachable and migrated, {@code /healthz}
     * answers 503 with that reason and every other endpoint but {@code /metrics} 503 "starting". For a deployment,
     * where the database may come up after the bot.
     */
    public static Firebreak launch(Config config, Clock clock, Duration retryEvery) throws Exception {
        return start(config, clock, Optional.of(retryEvery), singleToken(config), tenancy(config));
    }

    private static Firebreak start(
            Config config, Clock clock, Optional<Duration> retryEvery, BotTokens tokens, Tenancy tenancy)
            throws Exception {
        ActionCatalog catalog = CatalogLoader.load(config.containment());
        log.info("containment actions: {} from {}", catalog.actions().size(), catalog.source());
        catalog.targets().stream()
                .filter(t -> !t.configured())
                .forEach(t -> log.warn(
                        "containment actions on {} are refused until configured: {}", t.name(), t.notConfigured()));
        int poolSize = poolSize(config.jobThreads());
        // Sources and rules are validated before anything starts, like the catalog: an invalid file stops the bot.
        Map<String, SignalSource> sources = SourcesLoader.load(config.signals());
        sources.values().stream()
                .filter(s -> s.auth().isEmpty())
                .forEach(s -> log.warn(
                        "signal source {} answers 401 until configured: set {}",
                        s.name(),
                        String.join(", ", s.notConfigured())));
        RuleSet rules = RulesLoader.load(config.signals(), catalog, sources.keySet());
        log.info(
                "signal sources: {}; rules: {} from {} (sha256 {})",
                sources.keySet(),
                rules.rules().size(),
                rules.source(),
                rules.hash());
        Database database = config.databaseUrl().isPresent()
                ? Database.open(
                        config.databaseUrl().get(),
                        config.integrity().databaseMigrationUrl(),
                        DB_CONNECT_TIMEOUT,
                        poolSize)
                : Database.embedded(config.dataDir().resolve("postgres"), DB_CONNECT_TIMEOUT, poolSize);
        log.info("database: {}", database.description());
        try {
            return wire(config, clock, database, catalog, sources, rules, retryEvery, tokens, tenancy);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    private static Firebreak wire(
            Config config,
            Clock clock,
            Database database,
            ActionCatalog catalog,
            Map<String, SignalSource> sources,
            RuleSet rules,
            Optional<Duration> retryEvery,
            BotTokens tokens,
            Tenancy tenancy)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Storage storage = new Storage(database, mapper, clock);
        Metrics metrics = new Metrics().withJvmMetrics().watch(new DatabaseGauges(storage, clock));
        database.observeConnectionWaits(metrics::connectionWait);
        // Card updates and notices give way to a burst of Slack requests, so the acks keep the CPU they need.
        Foreground foreground = new Foreground();
        Jobs jobs = new Jobs(database.dataSource(), clock, config.jobThreads(), metrics, foreground);
        Slack slack = slack(config);
        // Where each workspace's bot token comes from: its OAuth installation, or the one SLACK_BOT_TOKEN.
        Optional<Installations> installations =
                config.oauth().map(oauth -> InstallFeature.installations(storage, slack, oauth, clock));
        BotTokens botTokens = installations.map(InstallFeature::botTokens).orElse(tokens);
        // Each workspace's calls carry its own token (slackApi.forWorkspace).
        SlackWebApi slackApi = new SlackWebApi(slack, botTokens, tenancy, Optional.of(metrics), database.budgets());
        SlackResponders responders = new SlackResponders(config.responders(), slackApi, clock);
        ExecutorService afterAck = LogContext.carrying(Executors.newFixedThreadPool(AFTER_ACK_THREADS, r -> {
            Thread t = new Thread(r, "after-ack");
            t.setDaemon(true);
            return t;
        }));
        ExecutorService slackWorkers = LogContext.carrying(Executors.newFixedThreadPool(SLACK_WORKERS, r -> {
            Thread t = new Thread(r, "slack-work");
            t.setDaemon(true);
            return t;
        }));

        // The decisions first: the incident service closes only through its gate, which the other features' records
        // make.
        Approvers approvers = Approvers.of(config.containment().approvers(), responders, config.responders());
        Directory directory = AccessWiring.directory(
                responders, approvers, new SlackResponders(config.access().privateResponders(), slackApi, clock));
        ContainmentService containment = new ContainmentService(
                storage,
                catalog,
                approvers,
                config.containment().approvalTtl(),
                mapper,
                jobs::wake,
                new ConfirmedSeverity(directory));
        // One policy decides every action, for Slack (the middleware) and the read API alike.
        AccessPolicy access = AccessWiring.policy(config, containment.approvers());
        AccessWiring.logWhoMayFire(config, containment.approvers());
        // Who sees a private incident is decided once, by the policy, for every list and screen.
        Visibility visibility = new Visibility(access, directory, new SlackChannelMembers(slackApi, clock), tenancy);
        EvidenceService evidence = new EvidenceService(
                storage,
                mapper,
                config.evidence(),
                EvidenceService.clients(
                        config.evidence(),
                        new OutboundHttp(
                                Duration.ofSeconds(10), config.evidence().fetchTimeout(), clock),
                        mapper),
                jobs::wake,
                clock,
                metrics);
        ContainmentRecord containmentRecord = new ContainmentRecord(storage, containment);
        EvidenceReview evidenceReview = new EvidenceReview(evidence);
        PostmortemPosting postmortemPosting = new PostmortemPosting(storage, clock, jobs::wake);
        IntegrityService integrity = new IntegrityService(
                storage,
                mapper,
                clock,
                config.integrity().signingKey(),
                new CheckpointFiles(config.integrity().checkpointDir()),
                java.util.stream.Stream.concat(
                                config.integrity().auditChannel().stream()
                                        .map(c -> (CheckpointPublisher) new AuditChannel(
                                                // The channel's workspace: FIREBREAK_AUDIT_TEAM, else the single one.
                                                slackApi.forWorkspace(tenancy.configured(
                                                        config.integrity().auditTeam())),
                                                c,
                                                clock)),
                                config.integrity().checkpointBucket().stream()
                                        .map(b -> (CheckpointPublisher) new S3Checkpoints(b, mapper, clock)))
                        .toList(),
                config.integrity().checkpointEvery(),
                jobs::wake);
        PagingService paging = PagingFeature.service(config.paging(), storage, mapper, clock, jobs::wake);
        IncidentService incidents = new IncidentService(
                storage,
                mapper,
                jobs::wake,
                responders,
                new ClosingChecklist(List.of(containmentRecord, evidenceReview)),
                List.of(postmortemPosting, integrity.phaseChanges(), paging.phaseChanges()));

        // Then every feature's faces, over the same basics.
        JsonResponses json = new JsonResponses(mapper);
        Basics basics = new Basics(
                config,
                clock,
                storage,
                mapper,
                metrics,
                jobs::wake,
                slackApi,
                new Modals(slackApi, afterAck),
                new ThreadNotices(incidents::find, slackApi, storage, jobs::wake),
                new IncidentResolver(tenancy, incidents::find, incidents::findByChannel),
                afterAck,
                json,
                tenancy);
        List<Feature> onTheCard = List.of(
                new ContainmentFeature(basics, catalog, containment, incidents),
                new EvidenceFeature(basics, evidence, incidents),
                new PostmortemFeature(
                        basics,
                        incidents,
                        postmortemPosting,
                        evidenceReview,
                        List.of(
                                containmentRecord,
                                evidenceReview.runsSection(),
                                evidenceReview.failurePointSection(),
                                new IntegritySection(integrity.publicKey(), mapper))));
        List<Feature> others = new ArrayList<>(onTheCard);
        PagingFeature pagingFeature = new PagingFeature(basics, paging, incidents);
        others.add(new HandoffFeature(
                basics, incidents, IncidentFeature.summary(basics, onTheCard), visibility, pagingFeature.roster()));
        others.add(new CaptureFeature(basics, incidents, visibility));
        // A rule pages through the paging feature, inside the rule's transaction; a page it refuses (paging off, an
        // unknown service) stays on the timeline with the reason instead of vanishing.
        TimelinePager unsent = new TimelinePager(incidents, mapper);
        Pager pager = (tx, incident, service, reason, actor) -> {
            if (paging.page(incident, Optional.of(service), Optional.ofNullable(reason), actor)
                    instanceof PagingService.Refused refused) {
                unsent.page(tx, incident, service, reason + " (not sent: " + refused.why() + ")", actor);
            }
        };
        RulesEngine rulesEngine = new RulesEngine(storage, rules, incidents, containment, pager, mapper);
        others.add(new IntakeFeature(
                basics,
                incidents,
                evidence,
                (tx, key, workflow, runId) -> rulesEngine.evaluate(tx, key, Facts.report(workflow, runId))));
        others.add(new SignalsFeature(basics, sources, incidents, evidence, rulesEngine));
        others.add(new RulesFeature(basics, rulesEngine, incidents));
        others.add(new IntegrityFeature(basics, integrity));
        others.add(pagingFeature);
        List<Feature> features = new ArrayList<>();
        features.add(new IncidentFeature(
                basics, incidents, others, access, new ApiTokens(config.access().apiTokens()), visibility));
        features.addAll(others);
        // An uninstall keeps the workspace's incidents and says so on each open one's timeline.
        WorkspaceRemoval workspaceRemoval = new WorkspaceRemoval(incidents, tenancy);
        Optional<InstallFeature> install = config.oauth()
                .map(oauth -> new InstallFeature(
                        basics, slack, oauth, installations.orElseThrow(), workspaceRemoval::onUninstalled));
        install.ifPresent(features::add);

        List<SlackFeature> slackFaces =
                features.stream().flatMap(f -> f.slack().stream()).toList();
        RequestBudget budget = new RequestBudget(
                config.requestBudget(),
                database.budgets(),
                slackWorkers,
                new BusyAnswers(config.slashCommand()),
                slackApi,
                afterAck,
                metrics);
        // With OAuth install, a request from a workspace Firebreak is not installed in stops once its budget is set,
        // before the access policy.
        com.slack.api.bolt.middleware.Middleware budgetThenInstalled = install.map(
                        i -> i.installedWorkspacesOnly(basics))
                .<com.slack.api.bolt.middleware.Middleware>map(
                        gate -> (req, resp, chain) -> budget.apply(req, resp, next -> gate.apply(next, resp, chain)))
                .orElse(budget);
        App app = SlackApp.create(
                config,
                slack,
                slackFaces,
                afterAck,
                budgetThenInstalled,
                new AccessMiddleware(
                        config.slashCommand(),
                        AccessMap.merge(
                                slackFaces.stream().map(SlackFeature::access).toList()),
                        access,
                        directory,
                        visibility,
                        incidents,
                        containment,
                        slackApi,
                        afterAck,
                        mapper,
                        new WorkLimits(
                                storage,
                                clock,
                                config.hardening().userLimitPerMinute(),
                                config.hardening().workspaceLimitPerMinute()),
                        tenancy));
        Set<String> subcommands = slackFaces.stream()
                .flatMap(f -> f.subcommands().stream())
                .map(Subcommand::name)
                .collect(Collectors.toSet());
        // Socket Mode answers Slack through the same Bolt app, so through the same middleware, handlers and storage.
        Optional<SocketModeReceiver> socketMode = config.socketMode()
                .appToken()
                .map(token -> new SocketModeReceiver(
                        app,
                        slack,
                        token,
                        config.socketMode().connections(),
                        storage,
                        clock,
                        metrics,
                        subcommands,
                        mapper));
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        Readiness readiness = Readiness.waiting("connecting to the database");
        // Served in Socket Mode too: signed requests (the local `slack` client) still work there.
        servlets.put("/slack/events", new SlackAppServlet(app));
        servlets.put(
                "/healthz",
                new HealthServlet(
                        database,
                        readiness,
                        json,
                        socketMode
                                .<java.util.function.Supplier<String>>map(r -> r::state)
                                .orElse(() -> "http")));
        servlets.put("/metrics", new MetricsServlet(metrics, config.hardening().metricsToken(), json));
        log.info(
                config.hardening().metricsToken().isPresent()
                        ? "/metrics asks for FIREBREAK_METRICS_TOKEN as a bearer token"
                        : "FIREBREAK_METRICS_TOKEN is not set: /metrics is open to anyone who reaches this port");
        features.forEach(f -> servlets.putAll(f.routes()));
        List<HttpServer.PathFilter> filters = List.of(
                new HttpServer.PathFilter("/slack/events", new ForegroundFilter(foreground)),
                new HttpServer.PathFilter("/*", new RequestIdFilter()),
                new HttpServer.PathFilter("/*", new JsonErrors(json)),
                new HttpServer.PathFilter("/slack/events", new SlackRequestMetrics(metrics, subcommands, mapper)),
                new HttpServer.PathFilter("/*", new StartupGate(readiness, json)),
                new HttpServer.PathFilter("/slack/events", budget.arrivals()),
                new HttpServer.PathFilter(
                        "/slack/events", new SlackSignatureFilter(config.signingSecret(), json, Clock.systemUTC())),
                new HttpServer.PathFilter("/slack/events", new MalformedPayloadFilter(json)),
                // Acks, ephemeral answers and the read API pass through the one redactor. Exempt: a raw evidence
                // part (byte for byte, to check against its SHA-256) and the signed export, whose events are
                // redacted when written and must hash as stored.
                new HttpServer.PathFilter("/slack/events", new RedactingFilter(path -> false)),
                new HttpServer.PathFilter("/api/*", new RedactingFilter(RAW_OR_EXPORT.asMatchPredicate())));
        HttpServer http = new HttpServer(
                config.port(),
                servlets,
                filters,
                json,
                STOP_TIMEOUT,
                config.hardening().minRequestBytesPerSecond());
        List<Job> jobKinds = features.stream().flatMap(f -> f.jobs().stream()).toList();
        DatabaseStartup startup = new DatabaseStartup(
                database,
                readiness,
                () -> {
                    // Slack's requests are taken once the database can store what they change.
                    socketMode.ifPresent(SocketModeReceiver::start);
                    if (config.runJobs()) {
                        jobs.start(jobKinds);
                        integrity.scheduleTicks();
                        pagingFeature.schedulePolls();
                    } else {
                        log.info(
                                "FIREBREAK_RUN_JOBS is false: this replica runs no durable jobs; other replicas run them");
                    }
                },
                () -> {
                    new SlackWarmUp(
                                    app,
                                    config.signingSecret(),
                                    config.slashCommand(),
                                    config.access().workspaces().stream()
                                            .sorted()
                                            .findFirst()
                                            .orElse("T0WARMUP0"),
                                    storage)
                            .run();
                    features.forEach(Feature::warmUp);
                },
                java.util.stream.Stream.of(
                                config.databaseUrl(), config.integrity().databaseMigrationUrl())
                        .flatMap(Optional::stream)
                        .map(DatabaseUrl::password)
                        .flatMap(Optional::stream)
                        .collect(Collectors.toSet()));
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
            socketMode.ifPresent(SocketModeReceiver::close);
            jobs.close();
            afterAck.shutdownNow();
            slackWorkers.shutdownNow();
            try {
                http.close();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        log.info(
                "Firebreak is listening on port {}: POST /slack/events answers {}", http.port(), config.slashCommand());
        if (socketMode.isPresent()) {
            log.info(
                    "Socket Mode: Slack's requests arrive over {} connections opened with SLACK_APP_TOKEN; no public URL is needed",
                    config.socketMode().connections());
        }
        if (config.integrity().keyGenerated()) {
            log.warn(
                    "checkpoint signing key generated in {}; give auditors its public key:\n{}",
                    config.integrity().keyFile().toAbsolutePath().normalize(),
                    integrity.publicKey().orElseThrow().toPem());
        } else if (!integrity.enabled()) {
            log.warn(
                    "FIREBREAK_SIGNING_KEY is not set: the timeline is hash-chained but no signed checkpoint is made or published.");
        }
        if (config.oauth().isPresent()) {
            log.info(
                    "OAuth install: Firebreak is installed into a workspace at {}, each workspace's token stored encrypted",
                    config.publicUrl().map(u -> u + "/slack/install").orElse("/slack/install on this address"));
        } else if (config.botToken().isEmpty()) {
            log.warn("SLACK_BOT_TOKEN is not set: commands work, but nothing is posted to Slack.");
        }
        return new Firebreak(
                database,
                jobs,
                afterAck,
                slackWorkers,
                http,
                incidents,
                evidence,
                paging,
                metrics,
                readiness,
                startup,
                socketMode,
                botTokens,
                workspaceRemoval);
    }

    /** API paths whose answers leave unredacted: raw evidence parts and signed incident exports. */
    private static final java.util.regex.Pattern RAW_OR_EXPORT =
            java.util.regex.Pattern.compile("/api/incidents/[^/]+/(runs/[^/]+/snapshots/\\d+/raw/\\d+|export)/?");

    private static Slack slack(Config config) {
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(config.slackApiUrl());
        // Stats would call auth.test before the first Web API call, and keep per-team state.
        slackConfig.setStatsEnabled(false);
        return Slack.getInstance(slackConfig);
    }

    public int port() {
        return http.port();
    }

    public IncidentService incidents() {
        return incidents;
    }

    /** Where each workspace's bot token comes from: its OAuth installation, or {@code SLACK_BOT_TOKEN}. */
    public BotTokens botTokens() {
        return botTokens;
    }

    public EvidenceService evidence() {
        return evidence;
    }

    /** The database and its pool: for tests that hold its connections to show what a busy pool answers. */
    public Database database() {
        return database;
    }

    /** Paging: what rules call to page a service ({@link PagingService#page}). */
    public PagingService paging() {
        return paging;
    }

    /** True once the database is migrated and jobs run; {@link #launch} starts serving before that. */
    public boolean ready() {
        return readiness.isReady();
    }

    /** How Slack reaches this replica, as {@code /healthz} says it: {@code http}, or {@code socket: 2 of 2 connected}. */
    public String slackState() {
        return socketMode.map(SocketModeReceiver::state).orElse("http");
    }

    public void join() throws InterruptedException {
        http.join();
    }

    /**
     * Finishes Slack's requests in flight (Socket Mode envelopes, then HTTP requests), then the work they started, then
     * closes the database.
     */
    @Override
    public void close() {
        startup.close();
        // First: the envelopes taken are answered on their sockets before anything they need stops.
        socketMode.ifPresent(r -> r.close(STOP_TIMEOUT));
        try {
            http.close();
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.getMessage());
        }
        jobs.close();
        slackWorkers.shutdown();
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
