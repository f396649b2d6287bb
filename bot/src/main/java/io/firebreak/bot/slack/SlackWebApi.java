package io.firebreak.bot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.util.Responder;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.webhook.WebhookResponse;
import io.firebreak.bot.access.Tenancy;
import io.firebreak.bot.access.Workspace;
import io.firebreak.bot.platform.config.Secret;
import io.firebreak.bot.platform.outbound.Redactor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private final BotTokens tokens;
    /** Which workspace an incident's calls are made as ({@link #forIncident}). */
    private final Tenancy tenancy;
    /** The workspace this view calls for; {@link #UNBOUND} for the view not yet bound to one. */
    private final Workspace workspace;
    /** One client per token (each reads answers with its own Gson, built once): shared by every bound view. */
    private final Map<String, MethodsClient> clients;

    private final AtomicBoolean missingTokenLogged;
    private final Optional<io.firebreak.bot.platform.metrics.Metrics> metrics;

    /**
     * The workspace of calls made before a workspace is known, and of incidents from before workspaces were kept: in
     * single-token mode the one token answers for it; with several workspaces, only if a token is stored under it.
     */
    private static final Workspace UNBOUND = Workspace.of(Tenancy.LEGACY);

    /** At most this many clients are kept; past it the map starts again (tokens rotate, workspaces come and go). */
    private static final int MAX_CLIENTS = 1_000;

    public SlackWebApi(Slack slack, Optional<Secret> token) {
        this(slack, token, Optional.empty());
    }

    /** With {@code metrics}, every payload Slack refuses as invalid is counted ({@link #refused}). */
    public SlackWebApi(
            Slack slack, Optional<Secret> token, Optional<io.firebreak.bot.platform.metrics.Metrics> metrics) {
        this(
                slack,
                BotTokens.single(token),
                Tenancy.single(Optional.empty()),
                metrics,
                new io.firebreak.storage.Budgets());
    }

    /**
     * Calls with each workspace's own bot token from {@code tokens} ({@link #forWorkspace}); work running under a
     * rehearsal budget in {@code budgets} (the warm-up before ready) calls nothing: every call fails at once with
     * {@link #REHEARSAL}.
     */
    public SlackWebApi(
            Slack slack,
            BotTokens tokens,
            Tenancy tenancy,
            Optional<io.firebreak.bot.platform.metrics.Metrics> metrics,
            io.firebreak.storage.Budgets budgets) {
        this(slack, tokens, tenancy, UNBOUND, new ConcurrentHashMap<>(), new AtomicBoolean(), metrics, budgets);
    }

    private SlackWebApi(
            Slack slack,
            BotTokens tokens,
            Tenancy tenancy,
            Workspace workspace,
            Map<String, MethodsClient> clients,
            AtomicBoolean missingTokenLogged,
            Optional<io.firebreak.bot.platform.metrics.Metrics> metrics,
            io.firebreak.storage.Budgets budgets) {
        this.slack = slack;
        this.tokens = tokens;
        this.tenancy = tenancy;
        this.workspace = workspace;
        this.clients = clients;
        this.missingTokenLogged = missingTokenLogged;
        this.metrics = metrics;
        this.budgets = budgets;
    }

    /**
     * This API as {@code workspace}: every call carries that workspace's bot token. Each incident's card, notices and
     * messages go through its own workspace's view, and each Slack request's answers through its request's.
     */
    public SlackWebApi forWorkspace(Workspace workspace) {
        if (workspace.equals(this.workspace)) {
            return this;
        }
        return new SlackWebApi(slack, tokens, tenancy, workspace, clients, missingTokenLogged, metrics, budgets);
    }

    /** This API as {@code incident}'s workspace: its card, thread notices, posts and jobs carry that token. */
    public SlackWebApi forIncident(io.firebreak.storage.incident.Incident incident) {
        return forWorkspace(tenancy.workspaceOf(incident));
    }

    /** The workspace this view calls for. */
    public Workspace workspace() {
        return workspace;
    }

    /**
     * What a cache of this view's answers is keyed by: its workspace with several workspaces; with one (single-token
     * mode), every view asks the same Slack with the same token, so all share one key and one answer.
     */
    public String answersKey() {
        return tenancy.severalWorkspaces() ? workspace.teamId() : "";
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

    /** True when a bot token is configured (for this view's workspace). */
    public boolean configured() {
        return tokens.botToken(workspace).isPresent();
    }

    /** The client for this view's workspace's token, if it has one. */
    private Optional<MethodsClient> methods() {
        return tokens.botToken(workspace).map(token -> {
            MethodsClient client = clients.get(token.value());
            if (client == null) {
                if (clients.size() >= MAX_CLIENTS) {
                    clients.clear();
                }
                client = clients.computeIfAbsent(token.value(), t -> new SlackMethods(slack, t));
            }
            return client;
        });
    }

    /** Runs {@code call} named {@code method} (for the log), turning every failure into a {@link Result}. */
    public <T extends SlackApiTextResponse> Result<T> call(String method, Call<T> call) {
        if (rehearsing()) {
            return Result.failed(REHEARSAL, Optional.empty());
        }
        Optional<MethodsClient> methods = methods();
        if (methods.isEmpty()) {
            if (missingTokenLogged.compareAndSet(false, true)) {
                log.warn(
                        "no bot token (SLACK_BOT_TOKEN, or the workspace's installation) for workspace {}, so Firebreak cannot post there ({} skipped; later calls are skipped quietly). "
                                + "Commands still work and everything is stored; set SLACK_BOT_TOKEN to the app's xoxb- token to see cards in Slack.",
                        workspace.teamId().isEmpty() ? "(none)" : workspace.teamId(),
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
