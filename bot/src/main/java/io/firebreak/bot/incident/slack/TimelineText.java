package io.firebreak.bot.incident.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.timeline.TimelineEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One readable line per timeline event, in mrkdwn. */
public final class TimelineText {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);

    /** E.g. {@code `Nov 24 14:03 UTC` <@U1> opened the incident (severity high)}. */
    public String line(TimelineEvent event) {
        return "`" + TIME.format(event.at()) + " UTC` " + SlackText.user(event.actor()) + " "
                + BlockKit.cut(describe(event), 300);
    }

    /** A link to the message named by an event's details, or {@code label} alone when Slack gave no permalink. */
    private static String link(JsonNode details, String label) {
        return details.hasNonNull("permalink") ? "<" + details.get("permalink").asText() + "|" + label + ">" : label;
    }

    private static String capturedIn(JsonNode details) {
        return details.hasNonNull("captured_seq")
                ? " (event " + details.get("captured_seq").asInt() + ")"
                : "";
    }

    private static String describe(TimelineEvent event) {
        JsonNode d = event.details();
        return switch (event.kind()) {
            case EventKinds.OPENED ->
                "opened the incident"
                        + (d.hasNonNull("severity")
                                ? " (severity " + d.get("severity").asText().toLowerCase() + ")"
                                : " (not assessed)");
            case EventKinds.MESSAGE_CAPTURED ->
                "captured " + link(d, "a message") + " from "
                        + SlackText.user(d.path("author").asText("unknown"))
                        + " (" + (d.path("method").asText().equals("reaction") ? ":pushpin:" : "shortcut") + "): "
                        + SlackText.escape(SlackText.decode(d.path("text").asText()));
            case EventKinds.MESSAGE_RETRACTED -> "retracted " + link(d, "the captured message") + capturedIn(d);
            case EventKinds.MESSAGE_RESTORED -> "put back " + link(d, "the captured message") + capturedIn(d);
            default ->
                event.kind().replace('_', ' ')
                        + (d.hasNonNull("text")
                                ? ": " + SlackText.escape(d.get("text").asText())
                                : "");
        };
    }
}
