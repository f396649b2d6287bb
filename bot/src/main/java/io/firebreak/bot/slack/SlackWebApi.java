package io.firebreak.bot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.util.Responder;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.webhook.WebhookResponse;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.outbound.Redactor;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's Web API with the bot token, at the configured base URL. Calls never throw: each returns a
 * {@link Result} that says what Slack answered, so a failed post never breaks a command.
 */
public final class SlackWebApi {
    private static final Logger log = LoggerFactory.getLogger(SlackWebApi.class);

    private final Slack slack;
    private final Optional<MethodsClient> methods;
    private final AtomicBoolean missingTokenLogged = new AtomicBoolean();
    private final Optional<io.firebreak.bot.platform.metrics.Metrics> metrics;

    public SlackWebApi(Slack slack, Optional<Secret> token) {
        this(slack, token, Optional.empty());
    }

    /** With {@code metrics}, every payload Slack refuses as invalid is counted ({@link #refused}). */
    public SlackWebApi(
            Slack slack, Optional<Secret> token, Optional<io.firebreak.bot.platform.metrics.Metrics> metrics) {
        this(slack, token, metrics, new io.firebreak.storage.Budgets());
    }

    /**
     * As {@link #SlackWebApi(Slack, Optional, Optional)}; work running under a rehearsal budget in {@code budgets} (the
     * warm-up before ready) calls nothing: every call fails at once with {@link #REHEARSAL}.
     */
    public SlackWebApi(
            Slack slack,
            Optional<Secret> token,
            Optional<io.firebreak.bot.platform.metrics.Metrics> metrics,
            io.firebreak.storage.Budgets budgets) {
        this.slack = slack;
        this.methods = token.map(t -> new SlackMethods(slack, t.value()));
        this.metrics = metrics;
        this.budgets = budgets;
    }

    /** The error of a call made during a rehearsal, which is never sent. */
    public static final String REHEARSAL = "rehearsal";

    private final io.firebreak.storage.Budgets budgets;

    private boolean rehearsing() {
        return budgets.current().filter(io.firebreak.storage.Budget::rehearsal).isPresent();
    }

    /** True for Slack's answers to a payload it will never accept as it is: retrying the same one cannot help. */
    public static boolean refused(String error) {
        return error.equals("invalid_blocks")
                || error.equals("invalid_arguments")
                || error.equals("invalid_blocks_format")
                || error.equals("msg_too_long")
                || error.equals("invalid_attachments")
                || error.equals("too_many_attachments");
    }

    /** A Web API method call, given a client. */
    @FunctionalInterface
    public interface Call<T extends SlackApiTextResponse> {
        T run(MethodsClient client) throws IOException, SlackApiException;
    }

    /**
     * What came of a call.
     *
     * @param response   Slack's answer when it was {@code ok}
     * @param error      Slack's error code ({@code channel_not_found}, {@code ratelimited}, …), or
     *                   {@code not_configured} with no token, or {@code unreachable} when Slack could not be reached
     * @param retryAfter how long Slack asked us to wait, on a 429
     */
    public record Result<T>(Optional<T> response, Optional<String> error, Optional<Duration> retryAfter) {
        static <T> Result<T> ok(T response) {
            return new Result<>(Optional.of(response), Optional.empty(), Optional.empty());
        }

        static <T> Result<T> failed(String error, Optional<Duration> retryAfter) {
            return new Result<>(Optional.empty(), Optional.of(error), retryAfter);
        }

        public boolean ok() {
            return response.isPresent();
        }

        /** True when Slack refused the payload itself (see {@link SlackWebApi#refused}). */
        public boolean refused() {
            return error.filter(SlackWebApi::refused).isPresent();
        }

        /** True when the same call may well succeed later: Slack was rate limiting, failing or unreachable. */
        public boolean retryable() {
            return error.filter(e -> e.equals("ratelimited")
                            || e.equals("rate_limited")
                            || e.equals("http_429")
                            || e.equals("unreachable")
                            || e.startsWith("http_5")
                            || e.equals("service_unavailable")
                            || e.equals("internal_error")
                            || e.equals("fatal_error")
                            || e.equals("request_timeout"))
                    .isPresent();
        }
    }

    /** True when a bot token is configured. */
    public boolean configured() {
        return methods.isPresent();
    }

    /** Runs {@code call} named {@code method} (for the log), turning every failure into a {@link Result}. */
    public <T extends SlackApiTextResponse> Result<T> call(String method, Call<T> call) {
        if (rehearsing()) {
            return Result.failed(REHEARSAL, Optional.empty());
        }
        if (methods.isEmpty()) {
            if (missingTokenLogged.compareAndSet(false, true)) {
                log.warn(
                        "SLACK_BOT_TOKEN is not set, so Firebreak cannot post to Slack ({} skipped; later calls are skipped quietly). "
                                + "Commands still work and everything is stored; set SLACK_BOT_TOKEN to the app's xoxb- token to see cards in Slack.",
                        method);
            }
            return Result.failed("not_configured", Optional.empty());
        }
        try {
            T response = call.run(methods.get());
            if (response.isOk()) {
                return Result.ok(response);
            }
            log.warn("Slack {} answered error {}", method, response.getError());
            countRefusal(method, response.getError());
            return Result.failed(response.getError(), Optional.empty());
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            Optional<Duration> retryAfter =
                    Optional.ofNullable(e.getResponse().header("Retry-After")).flatMap(SlackWebApi::seconds);
            String error = e.getError() != null && e.getError().getError() != null
                    ? e.getError().getError()
                    : "http_" + status;
            log.warn(
                    "Slack {} answered HTTP {} ({}){}",
                    method,
                    status,
                    error,
                    retryAfter.map(d -> ", retry after " + d.toSeconds() + " s").orElse(""));
            countRefusal(method, error);
            return Result.failed(error, retryAfter);
        } catch (IOException e) {
            log.warn("Slack {} could not be reached: {}", method, e.getClass().getSimpleName());
            return Result.failed("unreachable", Optional.empty());
        } catch (RuntimeException e) {
            log.warn("Slack {} failed: {}", method, e.getClass().getSimpleName());
            return Result.failed("unexpected_failure", Optional.empty());
        }
    }

    /**
     * Tells the person behind an interaction {@code text}, visible only to them, through its
     * {@code response_url} (Slack accepts 5 uses within 30 minutes). Needs no bot token and no channel
     * membership. Never throws.
     */
    public Result<WebhookResponse> respond(String responseUrl, String text) {
        if (rehearsing()) {
            return Result.failed(REHEARSAL, Optional.empty());
        }
        try {
            WebhookResponse response = new Responder(slack, responseUrl)
                    .sendToAction(r ->
                            r.responseType("ephemeral").replaceOriginal(false).text(Redactor.redact(text)));
            if (response.getCode() != null && response.getCode() / 100 == 2) {
                return Result.ok(response);
            }
            Optional<Duration> retryAfter = Optional.ofNullable(response.getHeaders())
                    .flatMap(h -> h.entrySet().stream()
                            .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After"))
                            .flatMap(e -> e.getValue().stream())
                            .findFirst())
                    .flatMap(SlackWebApi::seconds);
            String error = response.getCode() != null && response.getCode() == 429
                    ? "ratelimited"
                    : "http_" + response.getCode();
            log.warn("Slack's response_url answered HTTP {}", response.getCode());
            return Result.failed(error, retryAfter);
        } catch (IOException e) {
            log.warn(
                    "Slack's response_url could not be reached: {}",
                    e.getClass().getSimpleName());
            return Result.failed("unreachable", Optional.empty());
        } catch (RuntimeException e) {
            log.warn("posting to Slack's response_url failed: {}", e.getClass().getSimpleName());
            return Result.failed("unexpected_failure", Optional.empty());
        }
    }

    private void countRefusal(String method, String error) {
        if (error != null && refused(error)) {
            log.warn(
                    "Slack refused the payload of {} ({}): it breaks a Block Kit rule Firebreak does not keep yet",
                    method,
                    error);
            metrics.ifPresent(m -> m.slackRefused(method, error));
        }
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
