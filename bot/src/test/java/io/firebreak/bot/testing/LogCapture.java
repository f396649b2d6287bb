package io.firebreak.bot.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.logging.FormatEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open, at the levels {@code logback.xml} sets, written exactly as the bot writes it:
 * each event through the JSON encoder and through the text encoder (stack traces included), on the thread that
 * logged it, so the request id and incident are the ones that line really carries.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final ObjectMapper mapper = new ObjectMapper();
    private final FormatEncoder json = new FormatEncoder();
    private final FormatEncoder text = new FormatEncoder();
    private final List<String> jsonLines = new CopyOnWriteArrayList<>();
    private final List<String> textLines = new CopyOnWriteArrayList<>();

    private LogCapture() {}

    /** Starts capturing everything the root logger gets. */
    public static LogCapture capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogCapture capture = new LogCapture();
        capture.setContext(context);
        capture.setName("test-capture");
        capture.json.setContext(context);
        capture.json.setFormat("json");
        capture.json.start();
        capture.text.setContext(context);
        capture.text.setFormat("text");
        capture.text.start();
        capture.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        jsonLines.add(new String(json.encode(event), StandardCharsets.UTF_8));
        textLines.add(new String(text.encode(event), StandardCharsets.UTF_8));
    }

    /** Every line as JSON, parsed. */
    public List<JsonNode> json() {
        return jsonLines.stream().map(this::parse).toList();
    }

    /** Everything written so far, JSON and text, as one string. */
    public String everything() {
        return String.join("", jsonLines) + String.join("", textLines);
    }

    /** The lines, in either format, that contain {@code text}. */
    public List<String> linesContaining(String text) {
        return java.util.stream.Stream.concat(jsonLines.stream(), textLines.stream())
                .filter(l -> l.contains(text))
                .toList();
    }

    /** How many events were captured. */
    public int size() {
        return jsonLines.size();
    }

    /** Waits up to 15 s for a line (as JSON) that matches {@code test}, and returns it. */
    public JsonNode await(Predicate<JsonNode> test) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode line : json()) {
                if (test.test(line)) {
                    return line;
                }
            }
            SlackApiStub.sleep(25);
        }
        throw new AssertionError("no log line matched among " + size() + ":\n" + String.join("", textLines));
    }

    /** Waits for a line whose message contains {@code text}. */
    public JsonNode awaitMessage(String text) {
        return await(line -> line.path("message").asText().contains(text));
    }

    private JsonNode parse(String line) {
        try {
            return mapper.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        stop();
    }
}
