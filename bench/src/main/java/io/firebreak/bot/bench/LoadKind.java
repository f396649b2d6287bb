package io.firebreak.bot.bench;

import io.firebreak.bot.incident.slack.LifecycleCommands;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.SlackPayloads;
import io.firebreak.bot.testing.TestBot;

/**
 * The kinds of Slack request the load benchmark sends, each built once from Slack's own payloads
 * ({@link Fixtures#slashCommand}, {@link SlackPayloads}) with two markers that every request replaces: its number,
 * so every title and note is unique, and the incident it is about.
 */
enum LoadKind {
    OPEN("/incident open"),
    NOTE("/incident note"),
    SHOW("/incident show"),
    RESOLVE("Resolve button"),
    NOTE_MODAL("Add note modal"),
    ;

    private static final String SEQ = "BENCHSEQ";
    private static final String INCIDENT = "BENCHINCIDENT";

    final String label;

    LoadKind(String label) {
        this.label = label;
    }

    /** The title of incident number {@code seq}. */
    static String title(Object seq) {
        return "Load test " + seq + ": refund agent sent wrong refunds";
    }

    /** The text of note number {@code seq}, typed as a command ({@link #NOTE}) or in the modal ({@link #NOTE_MODAL}). */
    static String note(LoadKind kind, Object seq) {
        return (kind == NOTE_MODAL ? "Load modal note " : "Load note ") + seq
                + ": the refund ledger shows 40 wrong payouts";
    }

    /** True for a title or note text this benchmark writes. */
    static boolean ours(String text) {
        return text != null && text.startsWith("Load ");
    }

    /** The form body of every request of this kind, with the markers in it; {@code responseUrl} for block actions. */
    String template(String responseUrl) {
        String key = "INC-" + INCIDENT;
        return switch (this) {
            case OPEN -> command("open high " + title(SEQ));
            case NOTE -> command("note " + key + " " + note(this, SEQ));
            case SHOW -> command("show " + key);
            case RESOLVE -> SlackPayloads.button(LifecycleCommands.RESOLVE_BUTTON, key, TestBot.USER, responseUrl);
            case NOTE_MODAL ->
                SlackPayloads.viewSubmission(
                        LifecycleCommands.NOTE_MODAL,
                        key,
                        TestBot.USER,
                        SlackPayloads.textValues("note", note(this, SEQ)));
        };
    }

    /** {@code template} with this request's number and incident. */
    static String fill(String template, long seq, long incident) {
        return template.replace(SEQ, Long.toString(seq)).replace(INCIDENT, Long.toString(incident));
    }

    private static String command(String text) {
        return Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL);
    }
}
