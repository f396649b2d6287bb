package io.firebreak.bot.config;

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
 * @param evidence               the tracing backends run evidence is fetched from, and the limits of a fetch
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
        EvidenceSettings evidence) {

    public static final String DEFAULT_SLACK_API_URL = "https://slack.com/api/";

    /** A copy listening on another port. */
    public Config withPort(int newPort) {
        return new Config(newPort, signingSecret, signingSecretGenerated, botToken, slackApiUrl, slashCommand,
                databaseUrl, dataDir, apiToken, publicUrl, evidence);
    }
}
