package io.firebreak.bot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.firebreak.bot.testing.TestBot;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a stranger can learn from, or cost, the HTTP surface. */
class HttpHygieneTest {
    static TestBot bot;

    @BeforeAll
    static void start() {
        bot = TestBot.start();
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void noAnswerNamesTheServerOrItsVersion() {
        HttpResponse<String> health = bot.get("/healthz", Optional.empty());
        HttpResponse<String> missing = bot.get("/nope", Optional.empty());

        assertThat(health.headers().firstValue("Server")).isEmpty();
        assertThat(missing.headers().firstValue("Server")).isEmpty();
        assertThat(health.body()).doesNotContain("Jetty").doesNotContain("jdbc").doesNotContain("127.0.0.1");
    }

    @Test
    void aMethodTheApiDoesNotServeGetsJson405() {
        HttpResponse<String> response =
                bot.send(HttpRequest.newBuilder(bot.uri("/reports")).GET().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(bot.json(response).path("error").asText()).contains("GET is not allowed on /reports");
        assertThat(response.body()).doesNotContain("<html");
    }

    @Test
    void aClientSendingAByteEvery20SecondsIsCutOffWithinTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", bot.uri("/").getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                    + "Content-Length: 100\r\n\r\nt")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            String answer;
            try {
                answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                answer = "still open after 30 s";
            } catch (java.net.SocketException e) {
                answer = "reset";
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer).isNotEqualTo("still open after 30 s");
            assertThat(held)
                    .as("how long one slow unsigned client held the connection")
                    .isLessThan(Duration.ofSeconds(15));
        }
    }

    /** Before: the 10 s idle timeout never fires for a byte every 2 s; such a client held a worker for 161 s. */
    @Test
    void aClientTricklingAByteEveryTwoSecondsIsCutOffQuicklyWhileOthersAreServed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", bot.uri("/").getPort())) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /slack/events HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nt")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            boolean closed = false;
            int servedMeanwhile = 0;
            // A byte every 2 s never trips the 10 s idle timeout: only the data rate can end this.
            while (!closed && Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(60)) < 0) {
                try {
                    out.write('x');
                    out.flush();
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                if (bot.get("/healthz", Optional.empty()).statusCode() == 200) {
                    servedMeanwhile++;
                }
                long waitUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (!closed && System.nanoTime() < waitUntil) {
                    try {
                        int b = in.read();
                        if (b < 0) {
                            closed = true;
                        } else {
                            answer.append((char) b);
                        }
                    } catch (SocketTimeoutException e) {
                        // Nothing yet: keep trickling.
                    } catch (java.net.SocketException e) {
                        closed = true;
                    }
                }
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("trickling client held its connection %d ms; answer: %s%n", held.toMillis(), answer);

            assertThat(closed).as("the trickling connection was closed").isTrue();
            assertThat(held)
                    .as("how long a client sending a byte every 2 s held its connection")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(answer.toString())
                    .startsWith("HTTP/1.1 408")
                    .contains("application/json")
                    .contains("\"the request body arrived slower than 1024 bytes per second\"");
            assertThat(servedMeanwhile).isPositive();
        }
    }
}
