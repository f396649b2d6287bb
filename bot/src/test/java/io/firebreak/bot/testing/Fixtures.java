package io.firebreak.bot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Slack's own request bodies and responses from {@code src/test/resources/reference}. */
public final class Fixtures {
    private Fixtures() {}

    /** A reference file's exact text, e.g. {@code slack/slash_command_form.txt}. */
    public static String read(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/reference/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Slack's documented slash-command body ({@code slash_command_form.txt}) with the command, text, user and
     * channel replaced; every other field, the field order and the percent-encoding stay as Slack sends them.
     */
    public static String slashCommand(String command, String text, String userId, String channelId) {
        return read("slack/slash_command_form.txt")
                .replace("command=%2Fwebhook-collect", "command=" + encode(command))
                .replace("&text=&", "&text=" + encode(text) + "&")
                .replace("user_id=U2CERLKJA", "user_id=" + encode(userId))
                .replace("channel_id=G8PSS9T3V", "channel_id=" + encode(channelId));
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
