package io.firebreak.bot.slack;

import io.firebreak.storage.incident.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converting between the text Slack sends, the mrkdwn it renders, and what people read. */
public final class SlackText {

    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern MESSAGE_TS = Pattern.compile("(\\d{1,12})(?:\\.(\\d{1,6}))?");
    private static final Pattern ESCAPED = Pattern.compile("<([@#!]?)([^<>|]*)(?:\\|([^<>]*))?>");

    private SlackText() {}

    /**
     * What a person typed, from the escaped form Slack sends in commands: {@code <@U1|bob>} becomes
     * {@code @bob}, {@code <#C1|ops>} becomes {@code #ops}, links keep their label, and {@code &amp;},
     * {@code &lt;}, {@code &gt;} become characters again.
     */
    public static String decode(String escaped) {
        Matcher m = ESCAPED.matcher(escaped);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String sigil = m.group(1);
            String target = m.group(2);
            String label = m.group(3);
            String readable = switch (sigil) {
                case "@" -> "@" + (label != null ? label : target);
                case "#" -> "#" + (label != null ? label : target);
                case "!" -> "@" + (label != null ? label : target);
                default -> label != null ? label : target;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(readable));
        }
        m.appendTail(out);
        return out.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Escapes text for mrkdwn, so a title or note can never turn into a mention or a link. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A Slack user mention for an ID, or the escaped name when it is not a Slack user ID (a report form's e-mail). */
    public static String user(String idOrName) {
        return USER_ID.matcher(idOrName).matches() ? "<@" + idOrName + ">" : escape(idOrName);
    }

    /** True for Slack user IDs such as {@code U2CERLKJA} or {@code W111}. */
    public static boolean isUserId(String text) {
        return USER_ID.matcher(text).matches();
    }

    private static final Pattern MENTION = Pattern.compile("<@([UW][A-Z0-9]{2,})(?:\\|[^>]*)?>|@?([UW][A-Z0-9]{2,})");

    /** The user ID in a mention as Slack sends it with escaping on ({@code <@U123|bob>}), or a bare ID. */
    public static java.util.Optional<String> userId(String text) {
        Matcher m = MENTION.matcher(text.strip());
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** A date Slack renders in the reader's own time zone, with a UTC fallback. */
    public static String date(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time}|"
                + at.toString().substring(0, 16).replace('T', ' ') + " UTC>";
    }

    /** When a message was posted, from its {@code ts} ({@code 1477958101.000004}: seconds and microseconds). */
    public static java.util.Optional<Instant> time(String ts) {
        Matcher m = MESSAGE_TS.matcher(ts == null ? "" : ts);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        String micros = m.group(2) == null ? "0" : (m.group(2) + "00000").substring(0, 6);
        return java.util.Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(micros) * 1000));
    }

    /** A short age such as {@code 4 min}, {@code 3 h 5 min} or {@code 2 d 1 h}. */
    public static String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        if (d.isNegative() || d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toDays() + " d " + d.toHoursPart() + " h";
    }

    /** The incident's severity with its colour, or that it is not assessed yet. */
    public static String severity(Incident incident) {
        return incident.severity()
                .map(s -> switch (s) {
                    case CRITICAL -> ":red_circle: critical";
                    case HIGH -> ":large_orange_circle: high";
                    case MEDIUM -> ":large_yellow_circle: medium";
                    case LOW -> ":white_circle: low";
                })
                .orElse(":grey_question: not assessed");
    }

    /** The incident's severity in plain words. */
    public static String severityPlain(Incident incident) {
        return incident.severity().map(s -> s.label()).orElse("not assessed");
    }
}
