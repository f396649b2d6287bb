package io.firebreak.bot.slack;

import com.slack.api.model.view.View;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens modals right after the ack (a trigger is valid for 3 seconds), and says so when Slack refuses. */
public final class Modals {
    private static final Logger log = LoggerFactory.getLogger(Modals.class);

    private final SlackWebApi slack;
    private final Executor afterAck;

    public Modals(SlackWebApi slack, Executor afterAck) {
        this.slack = slack;
        this.afterAck = afterAck;
    }

    /** Opens {@code view} with {@code triggerId}; on failure answers through {@code responseUrl} when there is one. */
    /** These modals as {@code workspace}: {@code views.open} needs the token of the workspace the trigger came from. */
    public Modals in(io.firebreak.bot.access.Workspace workspace) {
        return workspace.equals(slack.workspace()) ? this : new Modals(slack.forWorkspace(workspace), afterAck);
    }

    public void open(String triggerId, View view, Optional<String> responseUrl) {
        afterAck.execute(() -> {
            SlackWebApi.Result<?> opened = slack.call(
                    "views.open", m -> m.viewsOpen(r -> r.triggerId(triggerId).view(view)));
            if (!opened.ok() && !opened.error().orElse("").equals("not_configured")) {
                log.warn("could not open a form: {}", opened.error().orElse("?"));
                responseUrl.ifPresent(url -> slack.respond(
                        url,
                        ":warning: Slack would not open the form ("
                                + opened.error().orElse("?") + "). Try again, or use the command form."));
            }
        });
    }

    /** Answers through a {@code response_url} after the ack, visible to the person only. */
    public void respond(String responseUrl, String text) {
        if (responseUrl != null) {
            afterAck.execute(() -> slack.respond(responseUrl, text));
        }
    }
}
