package io.firebreak.bot.platform.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import io.firebreak.bot.platform.outbound.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * The log encoder {@code logback.xml} uses: one JSON object per line ({@code json}, for log pipelines) or a line
 * for people ({@code text}), chosen by {@code FIREBREAK_LOG_FORMAT}. Both carry the request id and the incident
 * key from {@link LogContext}. Every line passes through {@link Redactor}.
 */
public final class FormatEncoder extends EncoderBase<ILoggingEvent> {
    /** The text format: time, level, thread, logger, then the request and incident when there are any. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{24}"
            + "%replace( [%X{" + LogContext.REQUEST_ID + "}]){' \\[\\]', ''}%replace( %X{" + LogContext.INCIDENT
            + "}){'^ $', ''}"
            + " - %msg%n";

    private String format = "json";
    private Encoder<ILoggingEvent> delegate;

    /** {@code json} or {@code text}; anything else falls back to text with a warning in Logback's status. */
    public void setFormat(String format) {
        this.format = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
    }

    public String getFormat() {
        return format;
    }

    @Override
    public void start() {
        if (!format.equals("json") && !format.equals("text")) {
            addWarn("FIREBREAK_LOG_FORMAT must be json or text, not '" + format + "'; logging as text");
        }
        delegate = format.equals("json") ? json() : text();
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        // Last stop before the log leaves: message, arguments, MDC and stack traces all pass the one redactor.
        // The mask has no quote or backslash in it, so a JSON line stays valid JSON.
        byte[] line = delegate.encode(event);
        String text = new String(line, StandardCharsets.UTF_8);
        String redacted = Redactor.redact(text);
        return redacted.equals(text) ? line : redacted.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    private static Encoder<ILoggingEvent> json() {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setTimeZone("UTC");
        LogstashFieldNames names = encoder.getFieldNames();
        // Logstash's own bookkeeping fields say nothing to a reader.
        names.setVersion("[ignore]");
        names.setLevelValue("[ignore]");
        return encoder;
    }

    private static Encoder<ILoggingEvent> text() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(TEXT_PATTERN);
        return encoder;
    }
}
