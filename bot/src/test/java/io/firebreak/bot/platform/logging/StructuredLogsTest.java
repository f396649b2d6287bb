package io.firebreak.bot.platform.logging;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.slack.SlackSigner;
import io.firebreak.bot.testing.Fixtures;
import io.firebreak.bot.testing.LogCapture;
import io.firebreak.bot.testing.TestBot;
import io.firebreak.bot.web.RequestIdFilter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The log format: JSON lines (or text) from the shipped logback.xml, with the request id and incident on each line. */
class StructuredLogsTest {
    static final Path LOGBACK_XML = Path.of("src/main/resources/logback.xml");
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theShippedConfigurationWritesOneJsonObjectPerLineWithTheRequestAndIncident() throws Exception {
        String line = encodeWithShippedConfiguration("json");

        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = mapper.readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("posted the card of INC-7 to C123");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger_name").asText()).isEqualTo("io.firebreak.bot.incident.slack.CardPublisher");
        assertThat(json.path("request_id").asText()).isEqualTo("0123456789abcdef");
        assertThat(json.path("incident").asText()).isEqualTo("INC-7");
        assertThat(json.path("@timestamp").asText()).endsWith("Z");
        assertThat(json.has("@version")).isFalse();
        assertThat(json.has("level_value")).isFalse();
    }

    @Test
    void theTextFormatIsALineForPeopleWithTheSameContext() throws Exception {
        String line = encodeWithShippedConfiguration("text");

        assertThat(line)
                .matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[main] i\\.f\\.b\\.i\\.s\\.CardPublisher "
                                + "\\[0123456789abcdef] INC-7 - posted the card of INC-7 to C123\\n");
    }

    @Test
    void aLineWithoutContextHasNoEmptyBrackets() {
        FormatEncoder text = encoder("text");

        String line = new String(text.encode(event("Firebreak stopped")), StandardCharsets.UTF_8);

        assertThat(line).endsWith("i.f.bot.Firebreak - Firebreak stopped\n").doesNotContain("[]");
    }

    @Test
    void anUnknownFormatFallsBackToTextAndSaysSo() {
        FormatEncoder encoder = encoder("xml");

        assertThat(new String(encoder.encode(event("hello")), StandardCharsets.UTF_8))
                .endsWith(" - hello\n");
        assertThat(encoder.getContext().getStatusManager().getCopyOfStatusList())
                .extracting(Status::getMessage)
                .anyMatch(m -> m.contains("FIREBREAK_LOG_FORMAT must be json or text, not 'xml'"));
    }

    @Test
    void requestAndJobLinesCarryTheirRequestIdAndIncident() throws Exception {
        try (TestBot bot = TestBot.start();
                LogCapture logs = LogCapture.capture()) {
            bot.command("open high Refund agent sent wrong refunds");
            bot.awaitCount(1, "select count(*) from incident where card_ts is not null");
            bot.slack()
                    .wiremock()
                    .stubFor(post("/api/chat.postMessage")
                            .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
            bot.slack()
                    .wiremock()
                    .stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));

            HttpResponse<String> moved = commandWithRequestId(bot, "status INC-1 investigating", "lb-7f3a-0001");

            assertThat(moved.headers().firstValue(RequestIdFilter.HEADER)).contains("lb-7f3a-0001");
            // The thread notice is a durable job since issue 17: it runs with a request id of its own, and names its
            // job and incident (before, it ran on the after-ack thread with the command's request id).
            JsonNode notice = logs.awaitMessage("Slack chat.postMessage answered error channel_not_found");
            assertThat(notice.path("request_id").asText()).matches("[0-9a-f]{16}");
            assertThat(notice.path("job").asText()).startsWith("thread-notice/");
            assertThat(notice.path("incident").asText()).isEqualTo("INC-1");
            // The card job runs with a request id of its own, and names its job and incident.
            JsonNode job = logs.awaitMessage("Slack chat.update answered error invalid_auth");
            assertThat(job.path("request_id").asText()).matches("[0-9a-f]{16}");
            assertThat(job.path("job").asText()).startsWith("incident-card/1:");
            assertThat(job.path("incident").asText()).isEqualTo("INC-1");

            HttpResponse<String> unsafe = commandWithRequestId(bot, "list", "has spaces and \"quotes\"");
            assertThat(unsafe.headers().firstValue(RequestIdFilter.HEADER).orElseThrow())
                    .matches("[0-9a-f]{16}");
        }
    }

    private static HttpResponse<String> commandWithRequestId(TestBot bot, String text, String requestId) {
        String body = Fixtures.slashCommand("/incident", text, TestBot.USER, TestBot.CHANNEL);
        long now = System.currentTimeMillis() / 1000;
        return bot.send(HttpRequest.newBuilder(bot.uri("/slack/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", String.valueOf(now))
                .header("X-Slack-Signature", new SlackSigner(new Secret(TestBot.SIGNING_SECRET)).sign(now, body))
                .header(RequestIdFilter.HEADER, requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** Configures a fresh Logback from the shipped logback.xml with {@code FIREBREAK_LOG_FORMAT}, and encodes one line with it. */
    private String encodeWithShippedConfiguration(String format) throws Exception {
        LoggerContext context = context();
        context.putProperty("FIREBREAK_LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LOGBACK_XML.toFile());
        OutputStreamAppender<ILoggingEvent> stdout = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        FormatEncoder encoder = (FormatEncoder) stdout.getEncoder();
        assertThat(encoder.getFormat()).isEqualTo(format);
        MDC.setContextMap(Map.of(LogContext.REQUEST_ID, "0123456789abcdef", LogContext.INCIDENT, "INC-7"));
        try {
            LoggingEvent event = new LoggingEvent(
                    Logger.FQCN,
                    context.getLogger("io.firebreak.bot.incident.slack.CardPublisher"),
                    ch.qos.logback.classic.Level.INFO,
                    "posted the card of {} to {}",
                    null,
                    new Object[] {"INC-7", "C123"});
            event.setThreadName("main");
            return new String(encoder.encode(event), StandardCharsets.UTF_8);
        } finally {
            MDC.clear();
            context.stop();
        }
    }

    /** A Logback context of the test's own, sharing SLF4J's MDC. */
    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        return context;
    }

    private static FormatEncoder encoder(String format) {
        FormatEncoder encoder = new FormatEncoder();
        encoder.setContext(context());
        encoder.setFormat(format);
        encoder.start();
        return encoder;
    }

    private static LoggingEvent event(String message) {
        LoggerContext context = context();
        LoggingEvent event = new LoggingEvent(
                Logger.FQCN,
                context.getLogger("io.firebreak.bot.Firebreak"),
                ch.qos.logback.classic.Level.INFO,
                message,
                null,
                null);
        event.setThreadName("main");
        return event;
    }
}
