package io.firebreak.bot.incident.slack;

import io.firebreak.bot.slack.BlockKit;
import io.firebreak.bot.slack.SlackText;
import io.firebreak.storage.incident.Incident;

/**
 * The plain card Firebreak posts when Slack refuses the full one ({@code invalid_blocks}, {@code invalid_arguments}):
 * text only, with no blocks left to refuse, so the incident stays visible in Slack with what matters most.
 */
final class RefusedCard {
    /** Room for the title in the plain card and in one-line notices, well inside a message's 4,000 characters. */
    static final int TITLE = 500;

    private RefusedCard() {}

    /** Key, title, severity, phase, and how to see the rest. */
    static String text(Incident incident) {
        return ":rotating_light: *" + incident.key() + "* · " + BlockKit.escaped(incident.title(), TITLE)
                + "\nSeverity: " + SlackText.severityPlain(incident) + " · Phase: "
                + incident.phase().label()
                + "\n_Slack refused the full card. `/incident show " + incident.key() + "` shows everything._";
    }
}
