package io.firebreak.bot.signals;

import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.testing.TestBot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends alerts as their senders do, to a bot configured with {@link #SOURCES}: Alertmanager and Datadog with a bearer
 * token, Grafana with its HMAC header, and a generic source signing {@code "<timestamp>:<body>"}. The payloads are the
 * reference ones in {@code src/test/resources/reference/alerts} (see its README for where each comes from).
 */
public final class Alerts {
    public static final String AM_TOKEN = "am-token-planted-0123456789";
    public static final String DD_TOKEN = "dd-token-planted-0123456789";
    public static final String GRAFANA_SECRET = "grafana-hmac-planted-0123456789";
    public static final String EVALS_SECRET = "evals-hmac-planted-0123456789";

    public static final String SOURCES = """
            sources:
              alertmanager:
                kind: alertmanager
                auth: {bearer: "${TEST_AM_TOKEN}"}
              grafana:
                kind: grafana
                auth:
                  hmac: {secret: "${TEST_GRAFANA_SECRET}", header: X-Grafana-Alerting-Signature}
              datadog:
                kind: datadog
                auth: {bearer: "${TEST_DD_TOKEN}"}
              evals:
                kind: generic
                auth:
                  hmac: {secret: "${TEST_EVALS_SECRET}", header: X-Signature, timestamp_header: X-Timestamp}
                mapping:
                  alerts: /events
                  title: /monitor/name
                  fingerprint: /monitor/id
                  status: /state
                  resolved_values: [ok]
                  severity: /level
                  workflow: /metadata/workflow
                  run_id: /metadata/trace_id
                  labels: /tags
              slow:
                kind: alertmanager
                rate_per_minute: 2
                auth: {bearer: "${TEST_AM_TOKEN}"}
              unset:
                kind: alertmanager
                auth: {bearer: "${TEST_UNSET_TOKEN}"}
            """;

    private Alerts() {}

    /** The environment for a bot with {@link #SOURCES}, plus {@code extra} pairs. */
    public static Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("FIREBREAK_SIGNALS", write("signals", SOURCES).toString());
        env.put("TEST_AM_TOKEN", AM_TOKEN);
        env.put("TEST_DD_TOKEN", DD_TOKEN);
        env.put("TEST_GRAFANA_SECRET", GRAFANA_SECRET);
        env.put("TEST_EVALS_SECRET", EVALS_SECRET);
        env.put("FIREBREAK_TRIAGE_CHANNEL", "C0TRIAGE01");
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    /** {@code text} in a new temporary {@code .yml} file. */
    public static Path write(String name, String text) {
        try {
            Path file = Files.createTempFile(name, ".yml");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reference payload, byte for byte. */
    public static String reference(String path) {
        try (InputStream in = Alerts.class.getResourceAsStream("/reference/alerts/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no reference payload " + path, e);
        }
    }

    public static HttpResponse<String> bearer(TestBot bot, String source, String token, String body) {
        HttpRequest.Builder request = post(bot, source, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return bot.send(request.build());
    }

    public static HttpResponse<String> alertmanager(TestBot bot, String body) {
        return bearer(bot, "alertmanager", AM_TOKEN, body);
    }

    public static HttpResponse<String> grafana(TestBot bot, String body) {
        return bot.send(post(bot, "grafana", body)
                .header("X-Grafana-Alerting-Signature", hmac(GRAFANA_SECRET, body))
                .build());
    }

    public static HttpResponse<String> evals(TestBot bot, String body, long timestamp) {
        return bot.send(post(bot, "evals", body)
                .header("X-Timestamp", String.valueOf(timestamp))
                .header("X-Signature", "sha256=" + hmac(EVALS_SECRET, timestamp + ":" + body))
                .build());
    }

    static HttpRequest.Builder post(TestBot bot, String source, String body) {
        return HttpRequest.newBuilder(bot.uri("/signals/" + source))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Alertmanager/0.27.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    public static String hmac(String secret, String signed) {
        return SignalsServletHmac.hex(new Secret(secret), signed);
    }

    /** An Alertmanager v4 notification of {@code count} firing alerts for {@code workflow}, each its own fingerprint. */
    public static String alertmanagerStorm(String alertname, String workflow, int from, int count) {
        StringBuilder alerts = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            if (alerts.length() > 0) {
                alerts.append(',');
            }
            alerts.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"")
                    .append(alertname)
                    .append("\",\"workflow\":\"")
                    .append(workflow)
                    .append("\",\"pod\":\"agent-")
                    .append(i)
                    .append("\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"tool errors above 20%\"},")
                    .append("\"startsAt\":\"2026-11-24T09:15:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",")
                    .append("\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"")
                    .append(String.format("%016x", i))
                    .append("\"}");
        }
        return "{\"receiver\":\"firebreak\",\"status\":\"firing\",\"alerts\":[" + alerts
                + "],\"groupLabels\":{\"alertname\":\"" + alertname
                + "\"},\"commonLabels\":{},\"commonAnnotations\":{},"
                + "\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\""
                + alertname + "\\\"}\",\"truncatedAlerts\":0}\n";
    }
}
