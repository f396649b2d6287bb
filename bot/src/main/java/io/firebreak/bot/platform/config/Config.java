package io.firebreak.bot.platform.config;

import io.firebreak.storage.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything Firebreak reads from its environment, validated.
 *
 * @param port                   where Jetty listens
 * @param signingSecret          Slack's signing secret, set or generated
 * @param signingSecretGenerated true when no {@code SLACK_SIGNING_SECRET} was set and one was made up and kept
 * @param botToken               the {@code xoxb-} token for Slack's Web API; empty means Slack calls are skipped
 * @param slackApiUrl            base URL of Slack's Web API, ending in {@code /}
 * @param slashCommand           the slash command Firebreak answers, e.g. {@code /incident}
 * @param databaseUrl            empty means an embedded PostgreSQL in {@code dataDir}
 * @param dataDir                local data: the embedded database and a generated signing secret
 * @param apiToken               bearer token of the read API; empty means the API refuses everyone
 * @param publicUrl              where people reach this bot, for links
 * @param responders             Slack user IDs (U…, W…) and user-group IDs (S…) who may change severity, phase
 *                               and commander; empty means nobody (the local quick start makes its own user one)
 * @param incidentChannels       whether each incident gets its own channel
 * @param intake                 user-report intake
 * @param handoffReminder        how long an unaccepted handoff waits before it is announced again
 * @param containment            the action catalog, approvers and approval expiry
 * @param runJobs                false for a replica that answers Slack and the API but leaves durable jobs
 *                               (containment calls, card updates) to the other replicas
 * @param jobThreads             how many durable jobs this replica runs at once
 * @param langfuseDataset        {@code LANGFUSE_DATASET}: the Langfuse dataset regression cases are pushed to, when set
 * @param evidence               the tracing backends run evidence is fetched from, and the limits of a fetch
 * @param integrity              signed checkpoints: the key, where they are published, how often
 * @param access                 the installation's workspace and the security group for private incidents
 * @param socketMode             Socket Mode: Slack's requests over WebSockets this bot opens, instead of HTTP
 * @param requestBudget          how long a Slack request may take, connection wait, transaction and answer together,
 *                               before the person is told the truth about it ({@code FIREBREAK_REQUEST_BUDGET})
 * @param hardening              slow-client, flood and {@code /metrics} protections
 * @param paging                 PagerDuty: services to page, on-call schedules, webhook secrets
 * @param signals                alert sources, rules, and how alerts are grouped and announced
 * @param oauth                  installing into any number of workspaces through OAuth ({@code SLACK_CLIENT_ID},
 *                               {@code SLACK_CLIENT_SECRET}, {@code FIREBREAK_TOKEN_KEY}); empty means the one workspace
 *                               of {@code SLACK_BOT_TOKEN}
 */
public record Config(
        int port,
        Secret signingSecret,
        boolean signingSecretGenerated,
        Optional<Secret> botToken,
        String slackApiUrl,
        String slashCommand,
        Optional<DatabaseUrl> databaseUrl,
        Path dataDir,
        Optional<Secret> apiToken,
        Optional<URI> publicUrl,
        java.util.List<String> responders,
        boolean incidentChannels,
        IntakeSettings intake,
        java.time.Duration handoffReminder,
        ContainmentSettings containment,
        boolean runJobs,
        int jobThreads,
        EvidenceSettings evidence,
        Optional<String> langfuseDataset,
        IntegritySettings integrity,
        AccessSettings access,
        SocketModeSettings socketMode,
        java.time.Duration requestBudget,
        HardeningSettings hardening,
        PagingSettings paging,
        SignalSettings signals,
        Optional<OAuthSettings> oauth) {

    /** Default of {@code FIREBREAK_REQUEST_BUDGET}: half a second inside Slack's 3 s for the answer to travel. */
    public static final java.time.Duration DEFAULT_REQUEST_BUDGET = java.time.Duration.ofMillis(2500);

    public static final String DEFAULT_SLACK_API_URL = "https://slack.com/api/";

    /**
     * Jobs run at once by default: one per core, at least two. Against a fast Slack the jobs (cards above all) are
     * CPU-bound, and more of them than cores took CPU from acknowledging Slack requests ({@code bench/run}); containment
     * calls jump the queue instead ({@code JobQueueDao.URGENT}).
     */
    public static int defaultJobThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
