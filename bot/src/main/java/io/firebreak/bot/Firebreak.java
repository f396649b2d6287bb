package io.firebreak.bot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import io.firebreak.bot.config.Config;
import io.firebreak.bot.config.EvidenceSettings;
import io.firebreak.bot.evidence.EvidenceService;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.bot.jobs.Jobs;
import io.firebreak.bot.outbound.OutboundHttp;
import io.firebreak.bot.slack.CardPublisher;
import io.firebreak.bot.slack.EvidenceCommands;
import io.firebreak.bot.slack.EvidenceSummary;
import io.firebreak.bot.slack.EvidenceThread;
import io.firebreak.bot.slack.IncidentCard;
import io.firebreak.bot.slack.IncidentCommands;
import io.firebreak.bot.slack.RunsSection;
import io.firebreak.bot.slack.SlackApp;
import io.firebreak.bot.slack.SlackWebApi;
import io.firebreak.bot.slack.SlackFeature;
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
    private static final int JOB_THREADS = 4;

    private final Database database;
    private final Jobs jobs;
    private final ExecutorService afterAck;
    private final HttpServer http;
    private final IncidentService incidents;
    private final EvidenceService evidence;

    private Firebreak(Database database, Jobs jobs, ExecutorService afterAck, HttpServer http, IncidentService incidents,
                      EvidenceService evidence) {
        this.database = database;
        this.jobs = jobs;
        this.afterAck = afterAck;
        this.http = http;
        this.incidents = incidents;
        this.evidence = evidence;
    }

    /** Opens the database (embedded when no URL is configured), wires everything and starts serving. */
    public static Firebreak start(Config config, Clock clock) throws Exception {
        Database database = config.databaseUrl().isPresent()
                ? Database.connect(config.databaseUrl().get(), DB_CONNECT_TIMEOUT)
                : Database.embedded(config.dataDir().resolve("postgres"), DB_CONNECT_TIMEOUT);
        log.info("database: {}", database.description());
        try {
            return wire(config, clock, database);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    private static Firebreak wire(Config config, Clock clock, Database database) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Storage storage = new Storage(database.jdbi(), mapper, clock);
        Jobs jobs = new Jobs(database.dataSource(), clock, JOB_THREADS);
        IncidentService incidents = new IncidentService(storage, mapper, jobs::wake);

        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(config.slackApiUrl());
        // Stats would call auth.test before the first Web API call, and keep per-team state.
        slackConfig.setStatsEnabled(false);
        Slack slack = Slack.getInstance(slackConfig);
        SlackWebApi slackApi = new SlackWebApi(slack, config.botToken());
        IncidentCard card = new IncidentCard(clock, new TimelineText());
        CardPublisher cards = new CardPublisher(incidents, slackApi, card, clock);
        jobs.register(IncidentService.CARD_JOB, cards::runJob);

        EvidenceSettings evidenceSettings = config.evidence();
        OutboundHttp tracingBackends = new OutboundHttp(Duration.ofSeconds(10), evidenceSettings.fetchTimeout(), clock);
        EvidenceService evidence = new EvidenceService(storage, mapper, evidenceSettings,
                EvidenceService.clients(evidenceSettings, tracingBackends, mapper), jobs::wake, clock);
        jobs.register(EvidenceService.FETCH_JOB, evidence::runFetchJob);
        jobs.register(EvidenceService.THREAD_JOB, new EvidenceThread(evidence, slackApi,
                new EvidenceSummary(config.publicUrl(), config.slashCommand()), clock)::runJob);
        card.withSection(new RunsSection(evidence));

        List<SlackFeature> features = new ArrayList<>();
        features.add(new IncidentCommands(incidents, card, clock));
        features.add(new EvidenceCommands(evidence, incidents, slackApi));
        ExecutorService afterAck = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "after-ack");
            t.setDaemon(true);
            return t;
        });
        App app = SlackApp.create(config, slack, features, afterAck);

        JsonResponses json = new JsonResponses(mapper);
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/healthz", new HealthServlet(database, json));
        servlets.put("/api/*", new ApiServlet(config.apiToken(), incidents, json, List.of(new EvidenceApi(evidence, json))));
        HttpServer http = new HttpServer(config.port(), app, servlets, json, STOP_TIMEOUT);
        try {
            jobs.start();
            http.start();
        } catch (Exception e) {
            jobs.close();
            afterAck.shutdownNow();
            throw e;
        }
        log.info("Firebreak is listening on port {}: POST /slack/events answers {}", http.port(), config.slashCommand());
        if (config.botToken().isEmpty()) {
            log.warn("SLACK_BOT_TOKEN is not set: commands work, but nothing is posted to Slack.");
        }
        return new Firebreak(database, jobs, afterAck, http, incidents, evidence);
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

    public void join() throws InterruptedException {
        http.join();
    }

    /** Finishes requests in flight, then the work they started, then closes the database. */
    @Override
    public void close() {
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
        log.info("Firebreak stopped");
    }
}
