package io.firebreak.bot.incident.slack;

import java.util.Locale;

/**
 * The {@code --private} word of {@code /incident open}, anywhere before the title: {@code open --private high Leak},
 * {@code open high --private Leak}. Only leading words are read, so a title may still contain "--private".
 *
 * @param privateIncident true when it was given
 * @param rest            what was typed without it
 */
record PrivateFlag(boolean privateIncident, String rest) {
    static final String WORD = "--private";
    /** Said to the person who opened a private incident. */
    static final String OPENED =
            ":lock: It is *private*: only the members of its own private channel, its commander and the"
                    + " security group see it. The channel it was opened from is told only that a private incident was opened.";
    /** Said in the channel a private incident was opened from: nothing about which incident or what happened. */
    /** On the card of a private incident, so its members know not to repeat it elsewhere. */
    static final String ON_CARD = ":lock: private: seen only by this channel, the commander and the security group";

    static final String ORIGIN_NOTICE =
            ":lock: A private incident was opened. Its responders were invited to its own private channel.";

    static PrivateFlag read(String args) {
        String text = args.strip();
        String[] words = text.split("\\s+", 3);
        for (int i = 0; i < Math.min(2, words.length); i++) {
            if (words[i].toLowerCase(Locale.ROOT).equals(WORD)) {
                StringBuilder rest = new StringBuilder();
                for (int j = 0; j < words.length; j++) {
                    if (j != i) {
                        rest.append(rest.isEmpty() ? "" : " ").append(words[j]);
                    }
                }
                return new PrivateFlag(true, rest.toString());
            }
        }
        return new PrivateFlag(false, text);
    }
}
