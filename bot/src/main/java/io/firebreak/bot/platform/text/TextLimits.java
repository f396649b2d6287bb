package io.firebreak.bot.platform.text;

/** Cuts text to a limit cleanly: at a word boundary where one is near, with an ellipsis, never mid-character. */
public final class TextLimits {
    private static final String ELLIPSIS = "…";

    private TextLimits() {}

    /** {@code text} if it fits in {@code max} characters, else a shortened copy ending in an ellipsis. */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        int space = text.lastIndexOf(' ', end);
        if (space > end - 20 && space > 0) {
            end = space;
        }
        return text.substring(0, end).stripTrailing() + ELLIPSIS;
    }
}
