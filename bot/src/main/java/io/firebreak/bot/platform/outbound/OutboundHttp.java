package io.firebreak.bot.platform.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends one request to an outside system with a connect timeout and a total timeout, reads at most a given
 * number of body bytes, and classifies the result. It never retries by itself: the durable job that calls it
 * decides, with {@link RetryPolicy}, so a retry survives a restart.
 */
public final class OutboundHttp {
    /** Headers that only describe the connection, not worth recording. */
    private static final Set<String> HOP_HEADERS = Set.of("connection", "keep-alive", "transfer-encoding", ":status");

    private final HttpClient client;
    private final Duration totalTimeout;
    private final Clock clock;

    public OutboundHttp(Duration connectTimeout, Duration totalTimeout, Clock clock) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.totalTimeout = totalTimeout;
        this.clock = clock;
    }

    /** Sends {@code request}, reading at most {@code maxBodyBytes} of the answer. Never throws for network failures. */
    public Exchange send(OutboundRequest request, long maxBodyBytes) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(totalTimeout)
                .method(
                        request.method(),
                        request.body()
                                .map(HttpRequest.BodyPublishers::ofString)
                                .orElse(HttpRequest.BodyPublishers.noBody()));
        request.headers().forEach(builder::header);
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> response =
                    client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            boolean truncated;
            try (InputStream in = response.body()) {
                byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
                truncated = read.length > maxBodyBytes;
                body = truncated ? Arrays.copyOf(read, (int) maxBodyBytes) : read;
            }
            int status = response.statusCode();
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, String.join(", ", values));
                }
            });
            Optional<Duration> retryAfter =
                    response.headers().firstValue("Retry-After").flatMap(this::retryAfter);
            return new Exchange(
                    request,
                    started,
                    Duration.ofNanos(System.nanoTime() - t0),
                    Optional.of(status),
                    headers,
                    body,
                    truncated,
                    classify(status),
                    retryAfter,
                    Optional.empty());
        } catch (HttpConnectTimeoutException e) {
            return failed(request, started, t0, Exchange.Failure.CONNECTION, "connect timed out");
        } catch (HttpTimeoutException e) {
            return failed(
                    request,
                    started,
                    t0,
                    Exchange.Failure.TIMEOUT,
                    "no answer within " + totalTimeout.toSeconds() + " s");
        } catch (ConnectException e) {
            return failed(request, started, t0, Exchange.Failure.CONNECTION, "connection refused");
        } catch (IOException e) {
            return failed(
                    request,
                    started,
                    t0,
                    Exchange.Failure.CONNECTION,
                    "connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(request, started, t0, Exchange.Failure.CONNECTION, "interrupted");
        }
    }

    static Exchange.Failure classify(int status) {
        if (status >= 200 && status < 300) {
            return Exchange.Failure.NONE;
        }
        if (status == 429) {
            return Exchange.Failure.RATE_LIMITED;
        }
        if (status == 401 || status == 403) {
            return Exchange.Failure.UNAUTHORIZED;
        }
        if (status == 404 || status == 410) {
            return Exchange.Failure.NOT_FOUND;
        }
        if (status >= 500) {
            return Exchange.Failure.SERVER_ERROR;
        }
        return Exchange.Failure.CLIENT_ERROR;
    }

    private Optional<Duration> retryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException unparsable) {
                return Optional.empty();
            }
        }
    }

    private Exchange failed(OutboundRequest request, Instant started, long t0, Exchange.Failure failure, String error) {
        return new Exchange(
                request,
                started,
                Duration.ofNanos(System.nanoTime() - t0),
                Optional.empty(),
                Map.of(),
                new byte[0],
                false,
                failure,
                Optional.empty(),
                Optional.of(error));
    }
}
