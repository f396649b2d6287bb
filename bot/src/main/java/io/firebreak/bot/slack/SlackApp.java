package io.firebreak.bot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import io.firebreak.bot.platform.config.Config;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bolt app: Slack's signature check stays on, every handler answers within Slack's 3 seconds and hands
 * slow work to {@code afterAck}.
 */
public final class SlackApp {
    private static final Logger log = LoggerFactory.getLogger(SlackApp.class);

    private SlackApp() {}

    /**
     * Builds the Bolt app for {@code config}: the slash command routed to every feature's subcommands, and
     * each feature's own listeners.
     */
    public static App create(Config config, Slack slack, java.util.List<SlackFeature> features, Executor afterAck) {
        return create(
                config,
                slack,
                features,
                afterAck,
                (req, resp, chain) -> chain.next(req),
                (req, resp, chain) -> chain.next(req));
    }

    /**
     * As {@link #create(Config, Slack, java.util.List, Executor)}, with {@code budget} giving every request its deadline
     * and {@code access} deciding it, after Slack's signature check and before any handler.
     */
    public static App create(
            Config config,
            Slack slack,
            java.util.List<SlackFeature> features,
            Executor afterAck,
            com.slack.api.bolt.middleware.Middleware budget,
            com.slack.api.bolt.middleware.Middleware access) {
        SlashCommandRouter router = new SlashCommandRouter(
                config.slashCommand(),
                features.stream().flatMap(f -> f.subcommands().stream()).toList());
        AppConfig appConfig = AppConfig.builder()
                .signingSecret(config.signingSecret().value())
                // No single-team token: Bolt would call auth.test before every first request and answer 401
                // while Slack's API is down. Firebreak calls the Web API itself, through SlackWebApi.
                .singleTeamBotToken(null)
                // Bolt reads SLACK_CLIENT_ID and SLACK_CLIENT_SECRET from the environment by default, which would turn
                // on its own multi-workspace authorization here; installs have their own app
                // (install/slack/InstallFlow).
                .clientId(null)
                .clientSecret(null)
                .slack(slack)
                // Acknowledge event types no feature handles with 200: Bolt's 404 would make Slack redeliver them.
                .allEventsApiAutoAckEnabled(true)
                .build();
        App app = new App(appConfig);
        app.use(budget);
        app.use(access);
        app.command(config.slashCommand(), (req, ctx) -> {
            Reply reply = router.handle(Invocation.from(req.getPayload()));
            reply.afterAck().forEach(work -> afterAck.execute(() -> runQuietly(work)));
            if (reply.text().isEmpty() && reply.blocks().isEmpty()) {
                return ctx.ack();
            }
            return ctx.ack(r -> r.responseType(reply.inChannel() ? "in_channel" : "ephemeral")
                    .text(reply.text())
                    .blocks(reply.blocks().isEmpty() ? null : reply.blocks()));
        });
        features.forEach(f -> f.register(app));
        return app;
    }

    /** Runs {@code work}, logging what it throws: for work handed to an executor after the ack. */
    public static void runQuietly(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("work after the Slack ack failed", e);
        }
    }
}
