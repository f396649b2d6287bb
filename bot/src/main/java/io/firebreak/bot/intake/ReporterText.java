package io.firebreak.bot.intake;

import java.util.regex.Pattern;

/**
 * A report's {@code reporter} is text someone typed into a form, never a Slack identity: "U0CEO" in a report must not
 * mention, invite or empower the Slack user U0CEO. Text that would read as a Slack user ID is kept with a note that
 * says where it came from, so no Slack rendering, channel invite or role check can take it for one.
 */
public final class ReporterText {
    private static final Pattern LOOKS_LIKE_USER = Pattern.compile("@?[UW][A-Z0-9]{2,}");

    private ReporterText() {}

    /** {@code typed} as stored on the incident and its timeline. */
    public static String of(String typed) {
        String text = typed.strip();
        // Nor may it pass for a rule (rule:<id>@<hash>), whose severity pre-approves that rule's containment.
        return LOOKS_LIKE_USER.matcher(text).matches() || text.startsWith("rule:")
                ? text + " (as typed in a report)"
                : text;
    }
}
