package io.firebreak.bot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.storage.Storage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the paths a slash command takes once before the replica says it is ready: signed requests built as Slack
 * builds them go through Bolt (signature check, parsing, the budget and access middlewares, the router, the handler and
 * its answer), as a {@linkplain Storage#rehearse rehearsal}: {@code open} runs its whole transaction against throwaway
 * tables and rolls it back, so nothing is stored, no incident number is used up and no job is queued (so nothing is
 * posted to Slack).
 */
public final class SlackWarmUp {
    private static final Logger log = LoggerFactory.getLogger(SlackWarmUp.class);
    /** Who the rehearsed requests come from: nobody real. */
    static final String USER = "U0WARMUP0";

    private final App app;
    private final Secret signingSecret;
    private final String command;
    private final String team;
    private final Storage storage;

    /** {@code team}: a workspace the bot accepts requests from. */
    public SlackWarmUp(App app, Secret signingSecret, String command, String team, Storage storage) {
        this.app = app;
        this.signingSecret = signingSecret;
        this.command = command;
        this.team = team;
        this.storage = storage;
    }

    /** The commands rehearsed, in order. */
    static List<String> commands() {
        return List.of("help", "open high Firebreak warm-up, not stored", "list", "show INC-1");
    }

    /** Rehearses each command once; a failure is logged, never fatal (warming only makes the first requests faster). */
    public void run() {
        for (String text : commands()) {
            try {
                Response answer = storage.rehearse(() -> send(text));
                if (answer.getStatusCode() != 200) {
                    log.warn("warm-up `{} {}` answered {}", command, text, answer.getStatusCode());
                }
            } catch (RuntimeException e) {
                log.warn("warm-up `{} {}` failed: {}", command, text, e.toString());
            }
        }
    }

    private Response send(String text) {
        String body = "token=warm-up&team_id=" + encode(team) + "&team_domain=warm-up&channel_id=C0WARMUP0"
                + "&channel_name=warm-up&user_id=" + USER + "&user_name=warm-up&command=" + encode(command)
                + "&text=" + encode(text) + "&api_app_id=A0WARMUP0"
                + "&response_url=" + encode("https://hooks.slack.com/commands/T0/0/warm-up");
        long now = System.currentTimeMillis() / 1000;
        RequestHeaders headers = new RequestHeaders(Map.of(
                "content-type", List.of("application/x-www-form-urlencoded"),
                "x-slack-request-timestamp", List.of(String.valueOf(now)),
                "x-slack-signature", List.of(new SlackSigner(signingSecret).sign(now, body))));
        try {
            return app.run(new SlashCommandRequest(body, headers));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
