package io.firebreak.bot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import io.firebreak.bot.slack.MalformedPayloadFilter;
import io.firebreak.bot.web.HttpServer;
import io.firebreak.bot.web.JsonResponses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The baseline Firebreak is compared with: a bare Bolt app served by Firebreak's own {@link HttpServer} (the same
 * Jetty 12, thread pool, size limit and filter), verifying Slack's signature as Firebreak does, whose handlers only
 * ack: the slash command, every block action and every view submission.
 */
final class BaselineBolt implements AutoCloseable {
    private final HttpServer http;

    private BaselineBolt(HttpServer http) {
        this.http = http;
    }

    /** Starts it on a free port, answering {@code command} and verifying requests with {@code signingSecret}. */
    static BaselineBolt start(String signingSecret, String command) throws Exception {
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setStatsEnabled(false);
        App app = new App(AppConfig.builder()
                .signingSecret(signingSecret)
                .singleTeamBotToken(null)
                .slack(Slack.getInstance(slackConfig))
                .allEventsApiAutoAckEnabled(true)
                .build());
        Pattern any = Pattern.compile(".*");
        app.command(command, (req, ctx) -> ctx.ack());
        app.blockAction(any, (req, ctx) -> ctx.ack());
        app.viewSubmission(any, (req, ctx) -> ctx.ack());
        JsonResponses json = new JsonResponses(new ObjectMapper());
        // The same Slack endpoint set-up as Firebreak's: Bolt's servlet behind the malformed-payload filter.
        HttpServer http = new HttpServer(
                0,
                Map.of("/slack/events", new SlackAppServlet(app)),
                List.of(new HttpServer.PathFilter("/slack/events", new MalformedPayloadFilter(json))),
                json,
                Duration.ofSeconds(5));
        http.start();
        return new BaselineBolt(http);
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() throws Exception {
        http.close();
    }
}
